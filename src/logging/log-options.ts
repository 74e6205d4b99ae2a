import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { Options as HttpLogOptions } from 'pino-http';
import { CENSOR, redactUrl } from '../config/redact-url';
import { CLIENT_CLOSED } from '../metrics/http-metrics.middleware';
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

/**
 * The root logger: JSON lines on stdout (level as a word, ISO time), secrets redacted; with
 * `pretty`, human-readable lines through pino-pretty instead.
 */
export function createRootLogger(
  level: LogLevel,
  pretty: boolean,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    formatters: { log: redactUrlField },
  };
  if (pretty && !destination && prettyAvailable()) {
    return pino({
      ...options,
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
  }
  options.formatters = { ...options.formatters, level: (label) => ({ level: label }) };
  return destination ? pino(options, destination) : pino(options);
}

type Req = IncomingMessage & AddressedRequest & { id?: unknown; originalUrl?: string };

/** The one line per request: what an operator greps for. */
function requestLine(req: Req, res: ServerResponse, durationMs: number): Record<string, unknown> {
  const finished = res.writableFinished;
  const status = finished ? res.statusCode : CLIENT_CLOSED;
  return {
    method: req.method,
    url: req.originalUrl ?? req.url,
    status,
    duration_ms: durationMs,
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

const omit = (): undefined => undefined;

/**
 * pino-http, tuned: the request id (X-Request-Id, set before this runs) is bound as `request_id`
 * to every line logged while the request is handled, and the request ends with one flat line —
 * method, url, status, duration_ms, client, outcome — never headers, so keys and cookies stay out.
 */
export function requestLogOptions(logger: Logger): HttpLogOptions<Req> {
  return {
    logger,
    genReqId: (req) => (typeof req.id === 'string' ? req.id : randomUUID()),
    customAttributeKeys: { reqId: 'request_id' },
    quietReqLogger: true,
    quietResLogger: true,
    // pino-http binds the raw request to a child logger it then does not use: keep that free
    wrapSerializers: false,
    serializers: { req: omit, res: omit },
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.statusCode >= 500 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request completed',
    customSuccessObject: (req, res, value: { responseTime: number }) =>
      requestLine(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime: number }) =>
      requestLine(req, res, value.responseTime),
  };
}
