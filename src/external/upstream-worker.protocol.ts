import type { UpstreamFailure } from './upstream-error';
import type { CircuitStateName, UpstreamAttempt } from './upstream-http';

/** main → worker: the GETs asked for during one tick, in one message. */
export interface CallRequest {
  id: number;
  url: string;
  acceptStatuses: number[];
}

interface SerializedUpstreamError {
  failure: UpstreamFailure;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/** worker → main: what happened since the last message, in order. */
export type WorkerReport =
  | { type: 'attempt'; id: number; attempt: UpstreamAttempt }
  | { type: 'circuit'; host: string; state: CircuitStateName }
  | { type: 'done'; id: number; status: number; data: unknown }
  | { type: 'failed'; id: number; error: SerializedUpstreamError };
