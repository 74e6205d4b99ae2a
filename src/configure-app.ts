import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HttpAdapterHost } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { jsonContentTypeMiddleware } from './common/json-content-type';
import { requestIdMiddleware } from './common/request-id';
import { createValidationPipe } from './common/validation';
import { AllConfig } from './config';
import { EVENT_PAYLOAD_MODELS } from './events/event-catalog';
import { EventCatalog } from './events/event-catalog.service';
import { parseClientFrame } from './gateway/client-frames';
import { RequestLogging } from './logging/request-logging';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { corsOptions, securityHeaders } from './security/http-security';
import { documentApiKeys } from './security/openapi-security';

/** Everything cross-cutting about HTTP, shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(app.get(RequestLogging).middleware);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.use(securityHeaders());
  const cors = corsOptions(config.get('security.corsOrigins', { infer: true }));
  if (cors) {
    app.enableCors(cors);
  }
  app.use(jsonContentTypeMiddleware);
  app.useBodyParser('json', { limit: config.get('app.bodyLimit', { infer: true }) });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: parseClientFrame }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('catalog-rates')
      .setDescription(
        'Products mirrored from an external product API and currency rates kept fresh. ' +
          'Errors always have the shape of `ErrorResponseDto`; every response carries `X-Request-Id`.\n\n' +
          'Events: the catalog of every event, its NATS subject and payload is the AsyncAPI 3 document ' +
          '[/asyncapi.json](/asyncapi.json); the live page [/live](/live) shows them as they happen.',
      )
      .setVersion('0.1.0')
      .build(),
    // the event payloads' schemas, reused by the AsyncAPI document
    { extraModels: EVENT_PAYLOAD_MODELS },
  );
  documentApiKeys(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.get(EventCatalog).build(document);
  return app;
}
