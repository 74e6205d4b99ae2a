import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { MetricsService } from './metrics.service';

/** What Express leaves on a request once a route matched it. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** What the metrics need of a Fastify request (its matched route pattern, or none). */
export interface FastifyRouted {
  raw: IncomingMessage;
  is404?: boolean;
  routeOptions?: { url?: string };
}

export const UNMATCHED_ROUTE = 'unmatched';
/** A client that hung up before the answer was written (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** A route pattern as a label: a catch-all (`/{*path}`, `/live/*`) never names a handler here. */
const routeLabel = (path: unknown): string =>
  typeof path === 'string' && !path.includes('*') ? path : UNMATCHED_ROUTE;

/** Times one request into http_request_duration_seconds, once its response ends. */
function timeRequest(
  metrics: MetricsService,
  req: IncomingMessage,
  res: ServerResponse,
  route: () => string,
): void {
  const started = performance.now();
  res.once('close', () => {
    const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
    metrics.httpRequest(req.method ?? 'GET', route(), status, (performance.now() - started) / 1000);
  });
}

/**
 * Times every request into http_request_duration_seconds. The route label is the pattern Express
 * matched (`/products/:id`), read once when the response ends; requests no route took (unknown
 * paths, bodies refused before routing) share the label `unmatched`, so raw URLs never become
 * label values. A catch-all pattern (`/{*path}`) is where Nest mounts module middleware (the log
 * context), never a handler here: a request that only matched one is unmatched too.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: RoutedRequest, res: ServerResponse, next: () => void): void => {
    timeRequest(metrics, req, res, () => {
      const path = req.route?.path;
      return typeof path === 'string' ? routeLabel((req.baseUrl ?? '') + path) : UNMATCHED_ROUTE;
    });
    next();
  };
}

/**
 * The same on Fastify. Its router matches before any hook runs, so a request refused before its
 * handler (a body that is not JSON) would carry its route: the label is the pattern
 * (`routeOptions.url`) only once the request reached the handler's stage (`reached`, from a
 * preHandler hook), as Express only knows a route once routing passed the body parser.
 */
export function fastifyHttpMetrics(metrics: MetricsService): {
  onRequest(request: FastifyRouted, res: ServerResponse): void;
  reached(request: FastifyRouted): void;
} {
  const handled = new WeakSet<IncomingMessage>();
  return {
    onRequest: (request, res) =>
      timeRequest(metrics, request.raw, res, () =>
        handled.has(request.raw) ? routeLabel(request.routeOptions?.url) : UNMATCHED_ROUTE,
      ),
    reached: (request) => handled.add(request.raw),
  };
}
