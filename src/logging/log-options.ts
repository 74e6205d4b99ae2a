import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { CENSOR, redactUrl } from '../config/redact-url';
import { CLIENT_CLOSED } from '../metrics/route-label';
import { AddressedRequest, clientAddress } from '../security/client-address';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Header and field names whose values are secrets wherever they turn up in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'authorization',
  'api_key',
  'apiKey',
  'apiKeys',
  'password',
  '*.api_key',
  '*.apiKey',
  '*.apiKeys',
  '*.password',
];
/** Every line's `url` (requests and outbound calls) loses user info and credential-like query values. */
function redactUrlField(object: Record<string, unknown>): Record<string, unknown> {
  const url = object.url;
  if (typeof url !== 'string' || !/[=@]/.test(url)) {
    return object;
  }
  return { ...object, url: redactUrl(url) };
}

/** pino-pretty is a dev dependency: without it (a production install), logs stay JSON. */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The service's loggers: `root` for everything, `requests` for the one line per request. */
export interface Loggers {
  root: Logger;
  /**
   * Writes only the request line, whose fields are known (no headers, the url cleaned by the
   * formatter below): it skips the redaction pass, which doubles the cost of a line.
   */
  requests: Logger;
}

/**
 * The loggers: JSON lines on stdout (level as a word, ISO time), secrets redacted; with
 * `pretty`, human-readable lines through pino-pretty instead.
 */
export function createLoggers(
  level: LogLevel,
  pretty: boolean,
  destination?: DestinationStream,
): Loggers {
  const options: LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: redactUrlField },
  };
  const redact = { paths: REDACTED_PATHS, censor: CENSOR };
  if (pretty && !destination && prettyAvailable()) {
    const root = pino({
      ...options,
      redact,
      transport: {
        target: 'pino-pretty',
        options: {
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,context',
          messageFormat: '{if context}[{context}] {end}{msg}',
          singleLine: true,
        },
      },
    });
    return { root, requests: root };
  }
  options.formatters = { ...options.formatters, level: (label) => ({ level: label }) };
  // synchronous writes (pino's default), one stream for both: measured on one core, handing each
  // write to libuv's thread pool (sync: false) cost more than the write itself
  const stream = destination ?? pino.destination({ dest: 1, sync: true });
  return { root: pino({ ...options, redact }, stream), requests: pino(options, stream) };
}

/** What the request line reads off a request: its id (X-Request-Id) and the Express url. */
export type RequestLogRequest = IncomingMessage &
  AddressedRequest & { id?: unknown; originalUrl?: string };

export type RequestOutcome = 'ok' | 'client_error' | 'server_error' | 'aborted';

/** The one line per request: what an operator greps for. */
export function requestLine(
  req: RequestLogRequest,
  res: ServerResponse,
  durationMs: number,
): { request_id: unknown; status: number; outcome: RequestOutcome } & Record<string, unknown> {
  const finished = res.writableFinished;
  const status = finished ? res.statusCode : CLIENT_CLOSED;
  return {
    request_id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    status,
    // to the microsecond: enough to rank requests, short enough to read
    duration_ms: Math.round(durationMs * 1000) / 1000,
    // the address protected mode and the rate limits saw (TRUST_PROXY applied)
    client: clientAddress(req),
    outcome: !finished
      ? 'aborted'
      : status >= 500
        ? 'server_error'
        : status >= 400
          ? 'client_error'
          : 'ok',
  };
}
