import { HttpException, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapFrameworkError } from '../common/framework-errors';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { jsonContentTypeMiddleware } from '../common/json-content-type';
import { requestIdMiddleware } from '../common/request-id';
import { RequestLogging } from '../logging/request-logging';
import { httpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsService } from '../metrics/metrics.service';
import { securityHeaders } from '../security/http-security';
import type { HttpSetup } from './http-setup';

/**
 * The cross-cutting HTTP layer as Express middleware, in order: request id, request log line,
 * metrics, security headers, CORS, then the JSON-only body (415 for other types, 413 past the
 * limit).
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
  app.use(requestIdMiddleware);
  app.use(app.get(RequestLogging).middleware);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.use(securityHeaders());
  if (cors) {
    app.enableCors(cors);
  }
  app.use(jsonContentTypeMiddleware);
  app.useBodyParser('json', { limit: bodyLimit });
  app.use(bodyParserErrors);
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
