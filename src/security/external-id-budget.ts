import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { securityConfig } from '../config/security.config';
import { ApiKeys } from './api-keys';
import { Caller } from './caller';
import { SlidingBudget } from './sliding-budget';

/** NATS callers without a key share one bucket: a message names no client. */
const NATS_BUCKET = 'nats';

/**
 * RATE_LIMIT_EXTERNAL_IDS: how many ids one client may ask fetch_external for per window, over REST
 * and NATS alike, so no client can spend the upstream's capacity (and trip its breaker for all).
 * The client is its API key when keys are set, else its address (REST) or the NATS bucket. Counts
 * live in this instance's memory.
 */
@Injectable()
export class ExternalIdBudget {
  private readonly keys: ApiKeys;
  private readonly budget: SlidingBudget | undefined;

  constructor(@Inject(securityConfig.KEY) config: ConfigType<typeof securityConfig>) {
    this.keys = new ApiKeys(config.apiKeys);
    const { externalIds, windowMs } = config.rateLimit;
    this.budget = externalIds > 0 ? new SlidingBudget(externalIds, windowMs) : undefined;
  }

  /** Counts `count` ids against the caller's budget, or refuses the whole call (429). */
  spend(caller: Caller, count: number): void {
    if (!this.budget) {
      return;
    }
    const waitMs = this.budget.take(this.bucketOf(caller), count);
    if (waitMs === 0) {
      return;
    }
    const windowSeconds = this.budget.windowMs / 1000;
    const limit = `at most ${this.budget.limit} ids per ${windowSeconds} s per client`;
    if (waitMs === Infinity) {
      throw new DomainError(
        ErrorCode.RateLimited,
        `fetch_external id budget: ${limit}, and this call asks for ${count}`,
        undefined,
        windowSeconds,
      );
    }
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new DomainError(
      ErrorCode.RateLimited,
      `fetch_external id budget reached: ${limit}; this call asks for ${count}; retry in ${retryAfter} s`,
      undefined,
      retryAfter,
    );
  }

  /** Keys are not kept as bucket names: a key's position in API_KEYS names its bucket. */
  private bucketOf(caller: Caller): string {
    if (this.keys.enabled) {
      for (const key of caller.keys) {
        const index = this.keys.indexOf(key);
        if (index >= 0) {
          return `key:${index}`;
        }
      }
    }
    return caller.address === undefined ? NATS_BUCKET : `address:${caller.address}`;
  }
}
