import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Helmet's headers with its default Content-Security-Policy (`default-src 'self'`: same-origin
 * scripts, styles, fetches and WebSockets — Swagger UI at /docs and the live page qualify), minus
 * `upgrade-insecure-requests`: the service is often reached over plain http on a LAN address, where
 * that directive would send every script and style request to an https port that does not exist.
 */
export function securityHeaders(): (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  return helmet({
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
  });
}

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
