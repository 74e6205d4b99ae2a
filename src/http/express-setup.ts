import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { jsonContentTypeMiddleware } from '../common/json-content-type';
import { requestIdMiddleware } from '../common/request-id';
import { RequestLogging } from '../logging/request-logging';
import { httpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsService } from '../metrics/metrics.service';
import { securityHeaders } from '../security/http-security';

/**
 * The cross-cutting HTTP layer as Express middleware, in order: request id, request log line,
 * metrics, security headers, CORS, then the JSON-only body (415 for other types, 413 past the
 * limit).
 */
export function setUpExpress(
  nest: INestApplication,
  cors: CorsOptions | undefined,
  bodyLimit: string,
): void {
  const app = nest as NestExpressApplication;
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(app.get(RequestLogging).middleware);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.use(securityHeaders());
  if (cors) {
    app.enableCors(cors);
  }
  app.use(jsonContentTypeMiddleware);
  app.useBodyParser('json', { limit: bodyLimit });
}
