import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestLogRequest } from '../logging/log-options';
import { RequestLogging } from '../logging/request-logging';
import { MetricsService } from '../metrics/metrics.service';
import { applySecurityHeaders, securityHeaders } from '../security/http-security';

/**
 * The operations layer every request passes first, on either adapter: its X-Request-Id and the
 * security headers on the response, then, when the response closes, one log line and one
 * observation of http_request_duration_seconds — from one listener, with the headers recorded
 * once at startup, so the layer costs a request a few microseconds.
 */
export type ObserveRequest = (
  req: RequestLogRequest,
  res: ServerResponse,
  requestId: string,
  route: () => string,
) => void;

export function requestObserver(logging: RequestLogging, metrics: MetricsService): ObserveRequest {
  const security = securityHeaders();
  return (req, res, requestId, route) => {
    res.setHeader('X-Request-Id', requestId);
    applySecurityHeaders(res, security);
    const started = performance.now();
    res.once('close', () => {
      const durationMs = performance.now() - started;
      const status = logging.completed(req, res, durationMs);
      metrics.httpRequest(req.method ?? 'GET', route(), status, durationMs / 1000);
    });
  };
}
