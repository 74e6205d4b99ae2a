/** Why an upstream call failed, as the callers need to tell it apart (retry? 502 or 504?). */
export type UpstreamFailure =
  | 'timeout' // no answer within EXTERNAL_TIMEOUT_MS
  | 'network' // connection refused, reset, DNS…
  | 'server' // 5xx
  | 'rate_limited' // 429
  | 'client' // another 4xx: our request is wrong, retrying will not help
  | 'bad_body' // 2xx with a body of the wrong shape
  | 'circuit_open'; // not attempted: the host's breaker is open

/** Failures that may pass: the upstream may answer differently next time. */
const TRANSIENT: readonly UpstreamFailure[] = ['timeout', 'network', 'server', 'rate_limited'];

/**
 * The upstream is unreachable or unwell (a transient failure, or its breaker is open), rather
 * than refusing this one request.
 */
export const saysUpstreamIsDown = (failure: UpstreamFailure): boolean =>
  failure === 'circuit_open' || TRANSIENT.includes(failure);

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly status?: number,
    /** From a 429's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** Worth another attempt: the upstream may answer differently next time. */
  get transient(): boolean {
    return TRANSIENT.includes(this.failure);
  }
}
