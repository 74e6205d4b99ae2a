import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** helmet's options: its defaults, CSP without `upgrade-insecure-requests` (see below). */
const HELMET_OPTIONS = {
  contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
};

/** What helmet does to a response, recorded once: the headers it sets and those it removes. */
export interface SecurityHeaders {
  set: readonly (readonly [string, string])[];
  remove: readonly string[];
}

/**
 * Helmet's headers with its default Content-Security-Policy (`default-src 'self'`: same-origin
 * scripts, styles, fetches and WebSockets — Swagger UI at /docs and the live page qualify), minus
 * `upgrade-insecure-requests`: the service is often reached over plain http on a LAN address, where
 * that directive would send every script and style request to an https port that does not exist.
 * Nothing in them depends on the request (no nonces), so helmet runs once, here, against a
 * recording response, and each request gets the recorded headers.
 */
export function securityHeaders(): SecurityHeaders {
  const set: [string, string][] = [];
  const remove: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => set.push([name, String(value)]),
    removeHeader: (name: string) => remove.push(name),
  } as unknown as ServerResponse;
  let ran = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) {
      throw new Error('helmet refused its options', { cause: error });
    }
    ran = true;
  });
  if (!ran) {
    throw new Error('helmet did not finish synchronously; its headers cannot be recorded once');
  }
  return { set, remove };
}

/** Puts the recorded security headers on a response. */
export function applySecurityHeaders(res: ServerResponse, headers: SecurityHeaders): void {
  for (const name of headers.remove) {
    res.removeHeader(name);
  }
  for (const [name, value] of headers.set) {
    res.setHeader(name, value);
  }
}

/** helmet itself, as a middleware: what the recorded headers are checked against. */
export const helmetMiddleware = () => helmet(HELMET_OPTIONS);

/** Headers a browser client may read from a cross-origin answer. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-Total-Count',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/** CORS from CORS_ORIGINS: undefined = off (no CORS headers at all), `*` = any origin. */
export function corsOptions(origins: readonly string[] | '*'): CorsOptions | undefined {
  if (origins !== '*' && origins.length === 0) {
    return undefined;
  }
  return {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'X-API-Key', 'Authorization', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  };
}
