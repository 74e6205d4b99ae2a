import { DomainError, ErrorCode } from '../common/domain-error';
import { UpstreamError, UpstreamFailure } from '../external/upstream-error';
import { Product } from './entities/product.entity';
import {
  allDownError,
  circuitOpenError,
  failedUpstream,
  FetchOutcome,
  jobProgressOf,
  needsWrite,
  notFoundUpstream,
  summarize,
  writtenOutcome,
} from './import-outcomes';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const EARLIER = new Date('2026-11-01T00:00:00.000Z');

const stored = (fields: Partial<Product> = {}): Product =>
  Object.assign(new Product(), {
    id: 7,
    name: 'Phone',
    description: 'A phone',
    price: 10,
    externalId: '1',
    createdAt: EARLIER,
    updatedAt: EARLIER,
    ...fields,
  });

const fetched = { externalId: '1', name: 'Phone', description: 'A phone', price: 10 };

const failed = (failure: UpstreamFailure, externalId = '1'): FetchOutcome =>
  failedUpstream(externalId, new UpstreamError(failure, `upstream: ${failure}`));

describe('the outcome of each id', () => {
  it('is not_found when the upstream does not know the id', () => {
    expect(notFoundUpstream('9')).toEqual({
      externalId: '9',
      status: 'not_found',
      product: null,
      error: 'not found upstream',
    });
  });

  it('is failed, with the reason and its kind, when the upstream call failed', () => {
    expect(failed('timeout', '3')).toEqual({
      externalId: '3',
      status: 'failed',
      product: null,
      error: 'upstream: timeout',
      failure: 'timeout',
    });
  });

  it('is created with the row read back after the insert', () => {
    const row = stored();
    expect(writtenOutcome(fetched, undefined, 'created', row, NOW)).toEqual({
      externalId: '1',
      status: 'created',
      product: row,
      error: null,
    });
  });

  it('is updated with the fetched content when no row was read back', () => {
    const outcome = writtenOutcome({ ...fetched, price: 12 }, stored(), 'updated', undefined, NOW);
    expect(outcome.status).toBe('updated');
    expect(outcome.product).toMatchObject({ id: 7, price: 12, updatedAt: NOW, createdAt: EARLIER });
  });

  it('is updated with the row read back when a concurrent writer changed it meanwhile', () => {
    const row = stored({ price: 13 });
    expect(writtenOutcome(fetched, stored(), 'updated', row, NOW).product).toBe(row);
  });

  it('is unchanged, with the stored row, when nothing was written', () => {
    const current = stored();
    expect(writtenOutcome(fetched, current, undefined, undefined, NOW)).toEqual({
      externalId: '1',
      status: 'unchanged',
      product: current,
      error: null,
    });
  });

  it('is unchanged, with the row read back, when a concurrent writer stored the same first', () => {
    const row = stored();
    expect(writtenOutcome(fetched, undefined, undefined, row, NOW).product).toBe(row);
  });
});

describe('needsWrite', () => {
  it('writes a new product and one whose name, description or price changed', () => {
    expect(needsWrite(undefined, fetched)).toBe(true);
    expect(needsWrite(stored({ name: 'Old' }), fetched)).toBe(true);
    expect(needsWrite(stored({ description: '' }), fetched)).toBe(true);
    expect(needsWrite(stored({ price: 11 }), fetched)).toBe(true);
  });

  it('leaves a product with the same content alone', () => {
    expect(needsWrite(stored(), fetched)).toBe(false);
  });
});

describe('counting', () => {
  const results: FetchOutcome[] = [
    writtenOutcome(fetched, undefined, 'created', stored(), NOW),
    writtenOutcome({ ...fetched, externalId: '2' }, stored(), 'updated', undefined, NOW),
    writtenOutcome({ ...fetched, externalId: '3' }, stored(), undefined, undefined, NOW),
    notFoundUpstream('4'),
    failed('server', '5'),
    failed('client', '6'),
  ];

  it('summarizes a call by status', () => {
    expect(summarize(results)).toEqual({
      requested: 6,
      created: 1,
      updated: 1,
      unchanged: 1,
      notFound: 1,
      failed: 2,
      results,
    });
  });

  it("adds a page to a job's counters, with a line per id that was not found or failed", () => {
    expect(jobProgressOf(results)).toEqual({
      counts: { processed: 6, created: 1, updated: 1, unchanged: 1, notFound: 1, failed: 2 },
      errors: [
        'external_id 4: not found upstream',
        'external_id 5: upstream: server',
        'external_id 6: upstream: client',
      ],
    });
  });
});

describe('circuitOpenError (503)', () => {
  it('refuses the call with Retry-After while the breaker is open', () => {
    const error = circuitOpenError(30) as DomainError;
    expect(error.code).toBe(ErrorCode.CircuitOpen);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('lets the call go while it is closed', () => {
    expect(circuitOpenError(undefined)).toBeUndefined();
  });
});

describe('allDownError (502 / 504)', () => {
  const verdict = (...outcomes: FetchOutcome[]) => allDownError(summarize(outcomes));

  it('is 504 when every id timed out', () => {
    const error = verdict(failed('timeout', '1'), failed('timeout', '2')) as DomainError;
    expect(error.code).toBe(ErrorCode.UpstreamTimeout);
    expect(error.message).toBe(
      'the external product API did not answer in time for any of the 2 ids',
    );
    expect(error.details).toEqual({
      results: [
        { external_id: '1', status: 'failed', product: null, error: 'upstream: timeout' },
        { external_id: '2', status: 'failed', product: null, error: 'upstream: timeout' },
      ],
    });
  });

  it('is 504 when the ids that were attempted timed out and the rest met an open breaker', () => {
    expect(verdict(failed('timeout', '1'), failed('circuit_open', '2'))?.code).toBe(
      ErrorCode.UpstreamTimeout,
    );
  });

  it.each<UpstreamFailure[]>([
    ['network'],
    ['server', 'rate_limited'],
    ['timeout', 'server'],
    ['circuit_open', 'circuit_open'],
  ])('is 502 when every id failed for the upstream (%s)', (...failures) => {
    const error = verdict(...failures.map((f, i) => failed(f, String(i + 1))));
    expect(error?.code).toBe(ErrorCode.UpstreamUnavailable);
    expect(error?.message).toBe(
      `the external product API could not be reached or failed for all ${failures.length} ids`,
    );
  });

  it('answers per id when any id succeeded or was not found', () => {
    expect(verdict(failed('timeout'), notFoundUpstream('2'))).toBeUndefined();
    expect(
      verdict(failed('server'), writtenOutcome(fetched, stored(), undefined, undefined, NOW)),
    ).toBeUndefined();
  });

  it('answers per id when a failure was the request, not the upstream', () => {
    expect(verdict(failed('server', '1'), failed('client', '2'))).toBeUndefined();
    expect(verdict(failed('bad_body'))).toBeUndefined();
  });
});
