import type { IncomingMessage } from 'node:http';

/** What Express leaves on a request once a route matched it. */
export type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** What the route label needs of a Fastify request (its matched route pattern, or none). */
export interface FastifyRouted {
  raw: IncomingMessage;
  routeOptions?: { url?: string };
}

export const UNMATCHED_ROUTE = 'unmatched';
/** A client that hung up before the answer was written (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** A route pattern as a label: a catch-all (`/{*path}`, `/live/*`) never names a handler here. */
const routeLabel = (path: unknown): string =>
  typeof path === 'string' && !path.includes('*') ? path : UNMATCHED_ROUTE;

/**
 * The route label of http_request_duration_seconds on Express: the pattern Express matched
 * (`/products/:id`), read when the response ends. Requests no route took (unknown paths, bodies
 * refused before routing) share `unmatched`, so raw URLs never become label values. A catch-all
 * pattern (`/{*path}`) is where Nest mounts module middleware (the log context), never a handler
 * here: a request that only matched one is unmatched too.
 */
export function expressRouteLabel(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? routeLabel((req.baseUrl ?? '') + path) : UNMATCHED_ROUTE;
}

/**
 * The same on Fastify. Its router matches before any hook runs, so a request refused before its
 * handler (a body that is not JSON) would carry its route: the label is the pattern
 * (`routeOptions.url`) only once the request reached the handler's stage (`reached`, from a
 * preHandler hook), as Express only knows a route once routing passed the body parser.
 */
export function fastifyRouteLabels(): {
  label(request: FastifyRouted): string;
  reached(request: FastifyRouted): void;
} {
  const handled = new WeakSet<IncomingMessage>();
  return {
    label: (request) =>
      handled.has(request.raw) ? routeLabel(request.routeOptions?.url) : UNMATCHED_ROUTE,
    reached: (request) => handled.add(request.raw),
  };
}
