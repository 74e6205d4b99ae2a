import { DomainError, ErrorCode } from '../common/domain-error';
import { Caller } from './caller';
import { ExternalIdBudget } from './external-id-budget';

const config = (apiKeys: string[], externalIds = 3000) => ({
  apiKeys,
  allowAnonymousWrites: false,
  trustProxy: undefined,
  corsOrigins: [] as string[],
  rateLimit: { limit: 0, externalIds, windowMs: 60_000 },
});

const http = (address: string, keys: string[] = []): Caller => ({
  transport: 'http',
  address,
  keys,
});
const nats = (keys: string[] = []): Caller => ({ transport: 'nats', keys });

const refusal = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the budget to refuse');
};

describe('ExternalIdBudget', () => {
  it('without keys: one bucket per address over REST, one shared by every NATS caller', () => {
    const budget = new ExternalIdBudget(config([]));
    budget.spend(http('10.0.0.1'), 3000);
    budget.spend(http('10.0.0.2'), 3000);
    budget.spend(nats(), 2000);
    const refused = refusal(() => budget.spend(http('10.0.0.1'), 1));
    expect(refused.code).toBe(ErrorCode.RateLimited);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(/at most 3000 ids per 60 s per client; this call asks for 1/);
    // a key nobody configured does not make a NATS caller a bucket of its own
    expect(refusal(() => budget.spend(nats(['whatever']), 1001)).code).toBe(ErrorCode.RateLimited);
    budget.spend(nats(), 1000);
  });

  it('with keys: one bucket per key, shared by REST and NATS and by every address using it', () => {
    const budget = new ExternalIdBudget(config(['k1', 'k2']));
    budget.spend(http('10.0.0.1', ['k1']), 2000);
    budget.spend(nats(['k1']), 1000);
    expect(refusal(() => budget.spend(http('10.0.0.9', ['k1']), 1)).code).toBe(
      ErrorCode.RateLimited,
    );
    budget.spend(http('10.0.0.1', ['k2']), 3000);
    // a wrong key next to a good one: the good one names the bucket
    expect(refusal(() => budget.spend(nats(['nope', 'k2']), 1)).code).toBe(ErrorCode.RateLimited);
  });

  it('a call asking for more than the whole budget says so', () => {
    const budget = new ExternalIdBudget(config([], 500));
    const refused = refusal(() => budget.spend(http('10.0.0.1'), 501));
    expect(refused.message).toMatch(
      /at most 500 ids per 60 s per client, and this call asks for 501/,
    );
    expect(refused.retryAfterSeconds).toBe(60);
  });

  it('RATE_LIMIT_EXTERNAL_IDS=0 counts nothing', () => {
    const budget = new ExternalIdBudget(config([], 0));
    for (let i = 0; i < 10; i++) {
      budget.spend(http('10.0.0.1'), 1000);
    }
  });
});
