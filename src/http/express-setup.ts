import { HttpException, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapFrameworkError } from '../common/framework-errors';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { storage } from 'nestjs-pino/storage';
import { jsonContentTypeMiddleware } from '../common/json-content-type';
import { assignRequestId, WithRequestId } from '../common/request-id';
import { RequestLogging } from '../logging/request-logging';
import { MetricsService } from '../metrics/metrics.service';
import { expressRouteLabel, RoutedRequest } from '../metrics/route-label';
import type { HttpSetup } from './http-setup';
import { requestObserver } from './request-observer';

/**
 * The cross-cutting HTTP layer as Express middleware, in order: the operations layer (request
 * id, security headers, log line and metrics), CORS, then the JSON-only body (415 for other
 * types, 413 past the limit), and the log context.
 */
export function setUpExpress(
  nest: INestApplication,
  { cors, bodyLimit, trustProxy }: HttpSetup,
): void {
  const app = nest as NestExpressApplication;
  app.disable('x-powered-by');
  if (trustProxy !== undefined) {
    // req.ip then comes from X-Forwarded-For, through the trusted hops only
    app.set('trust proxy', trustProxy);
  }
  const observe = requestObserver(app.get(RequestLogging), app.get(MetricsService));
  app.use((req: WithRequestId & RoutedRequest, res: ServerResponse, next: () => void) => {
    observe(req, res, req.id ?? assignRequestId(req), () => expressRouteLabel(req));
    next();
  });
  if (cors) {
    app.enableCors(cors);
  }
  app.use(jsonContentTypeMiddleware);
  app.useBodyParser('json', { limit: bodyLimit });
  app.use(bodyParserErrors);
  // the request's log context (its request_id on every line), bound once the body is read: the
  // handler runs inside it (body-parser's own callback would run outside a context bound earlier)
  const logging = app.get(RequestLogging);
  app.use((req: WithRequestId, _res: ServerResponse, next: () => void) => {
    storage.run(logging.context(req.id ?? assignRequestId(req)), next);
  });
}

/**
 * body-parser's refusals in the product's words (as on Fastify), before Nest would turn a JSON
 * syntax error into a 400 carrying JSON.parse's own message.
 */
function bodyParserErrors(
  error: unknown,
  _req: IncomingMessage,
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const mapped = mapFrameworkError(error);
  next(mapped ? new HttpException({ message: mapped.message }, mapped.status) : error);
}
