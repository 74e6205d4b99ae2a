import type { UpstreamFailure } from './upstream-error';

/** What an upstream GET returned (any status the caller accepts). */
export interface UpstreamResponse {
  status: number;
  data: unknown;
}

/**
 * Every outbound GET of the service, behind one port: the resilient client in-process, or the
 * same client on a worker thread (the default) so bulk fetching never holds the event loop.
 * Failures reject with UpstreamError, never HttpException.
 */
export abstract class UpstreamHttp {
  /** GETs JSON; `acceptStatuses` (default [404]) are returned like 2xx instead of failing. */
  abstract getJson(url: string, acceptStatuses?: number[]): Promise<UpstreamResponse>;
  /** Seconds until the host's breaker lets a call through again; undefined while it is closed. */
  abstract circuitOpenFor(url: string): number | undefined;
}

/** The failures one attempt can end in; `bad_body` and `circuit_open` come before or after. */
export type AttemptFailure = Exclude<UpstreamFailure, 'bad_body' | 'circuit_open'>;

/** How a failed attempt is named in its log line and the `outcome` label of its metrics. */
export const ATTEMPT_OUTCOMES = {
  timeout: 'timeout',
  network: 'network_error',
  server: 'server_error',
  rate_limited: 'rate_limited',
  client: 'client_error',
} as const satisfies Record<AttemptFailure, string>;

export type UpstreamOutcome = 'ok' | (typeof ATTEMPT_OUTCOMES)[AttemptFailure];

export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/** One attempt of one outbound call, as logged and counted. */
export interface UpstreamAttempt {
  method: 'GET';
  url: string;
  host: string;
  status: number | null;
  durationMs: number;
  attempt: number;
  outcome: UpstreamOutcome;
}

/**
 * Sees every attempt and every breaker state change. The client reports here instead of logging
 * itself, so the log line and the metrics are written in one place on the main thread even when
 * the calls run on the worker.
 */
export abstract class UpstreamObserver {
  abstract attempted(attempt: UpstreamAttempt): void;
  abstract circuitChanged(host: string, state: CircuitStateName): void;
}
