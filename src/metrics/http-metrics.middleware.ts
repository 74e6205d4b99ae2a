import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { MetricsService } from './metrics.service';

/** What Express leaves on a request once a route matched it. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

export const UNMATCHED_ROUTE = 'unmatched';
/** A client that hung up before the answer was written (nginx's convention). */
export const CLIENT_CLOSED = 499;

/**
 * Times every request into http_request_duration_seconds. The route label is the pattern Express
 * matched (`/products/:id`), read once when the response ends; requests no route took (unknown
 * paths, bodies refused before routing) share the label `unmatched`, so raw URLs never become
 * label values. A catch-all pattern (`/{*path}`) is where Nest mounts module middleware (the log
 * context), never a handler here: a request that only matched one is unmatched too.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: RoutedRequest, res: ServerResponse, next: () => void): void => {
    const started = performance.now();
    res.once('close', () => {
      const path = req.route?.path;
      const route =
        typeof path === 'string' && !path.includes('*')
          ? (req.baseUrl ?? '') + path
          : UNMATCHED_ROUTE;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      metrics.httpRequest(req.method ?? 'GET', route, status, (performance.now() - started) / 1000);
    });
    next();
  };
}
