/** What went wrong, in domain terms; only the global exception filter turns a code into HTTP. */
export enum ErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  InvalidInput = 'invalid_input',
  UnsupportedMediaType = 'unsupported_media_type',
  UpstreamUnavailable = 'upstream_unavailable',
  UpstreamTimeout = 'upstream_timeout',
  CircuitOpen = 'circuit_open',
  /** The instance is shutting down and starts nothing new; another instance can take the call. */
  ShuttingDown = 'shutting_down',
  /** No API key, or not one of API_KEYS. */
  Unauthorized = 'unauthorized',
  /** A client called an expensive endpoint too often; `retryAfterSeconds` says when to retry. */
  RateLimited = 'rate_limited',
  /** Events a caller asked for were pruned from the event store; `details` say what is kept. */
  NoLongerRetained = 'no_longer_retained',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields merged into the error body (e.g. per-id results). */
    readonly details?: Record<string, unknown>,
    /** Seconds a client should wait before retrying, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: number | string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} ${id} not found`);
  }
}
