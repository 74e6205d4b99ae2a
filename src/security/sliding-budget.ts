interface Spend {
  at: number;
  count: number;
}

interface Bucket {
  spends: Spend[];
  used: number;
}

/**
 * Amounts per bucket over a sliding window: a spend is refused when it would take what the bucket
 * spent in the last `windowMs` over `limit`. Exact for every window (a fixed window would allow
 * twice the limit across its boundary); a bucket holds at most `limit` spends, since each is ≥ 1.
 */
export class SlidingBudget {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSweep = now();
  }

  /** Spends `count` from `bucket` and returns 0, or returns the ms until it would fit (Infinity: never). */
  take(bucket: string, count: number): number {
    const now = this.now();
    this.sweep(now);
    if (count > this.limit) {
      return Infinity;
    }
    const state = this.buckets.get(bucket) ?? { spends: [], used: 0 };
    this.expire(state, now);
    if (state.used + count > this.limit) {
      return this.waitFor(state, count, now);
    }
    state.spends.push({ at: now, count });
    state.used += count;
    this.buckets.set(bucket, state);
    return 0;
  }

  /** What `bucket` spent in the window. */
  used(bucket: string): number {
    const state = this.buckets.get(bucket);
    if (!state) {
      return 0;
    }
    this.expire(state, this.now());
    return state.used;
  }

  private expire(state: Bucket, now: number): void {
    let expired = 0;
    while (expired < state.spends.length && state.spends[expired].at <= now - this.windowMs) {
      state.used -= state.spends[expired].count;
      expired++;
    }
    if (expired > 0) {
      state.spends.splice(0, expired);
    }
  }

  /** When enough of the oldest spends will have left the window for `count` to fit. */
  private waitFor(state: Bucket, count: number, now: number): number {
    let used = state.used;
    for (const spend of state.spends) {
      used -= spend.count;
      if (used + count <= this.limit) {
        return spend.at + this.windowMs - now;
      }
    }
    return this.windowMs;
  }

  /** Forgets idle buckets once a window, so memory follows the clients of the last window only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) {
      return;
    }
    this.lastSweep = now;
    for (const [key, state] of this.buckets) {
      const last = state.spends.at(-1);
      if (!last || last.at <= now - this.windowMs) {
        this.buckets.delete(key);
      }
    }
  }
}
