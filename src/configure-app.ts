import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { PrototypedExpressAdapter } from './common/express-adapter';
import { jsonContentTypeMiddleware } from './common/json-content-type';
import { requestIdMiddleware } from './common/request-id';
import { createValidationPipe } from './common/validation';
import { AllConfig } from './config';
import { nestLogLevels } from './config/log-levels';
import { validatedEnv } from './config/validated-env';
import { EventCatalog } from './events/event-catalog.service';
import { startMessaging } from './events/start-messaging';
import { GatewayWsAdapter } from './gateway/handshake-ws-adapter';
import { RequestLogging } from './logging/request-logging';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument } from './openapi-document';
import { corsOptions, securityHeaders } from './security/http-security';

/** What the e2e tests set differently from main.ts. */
export type CreateAppOptions = Pick<NestApplicationOptions, 'logger' | 'abortOnError'>;

/**
 * The app as main.ts and the e2e tests run it, ready to listen. The environment is validated
 * first, so a bad value rejects with a ConfigValidationError before anything starts. Given a
 * `logger`, Nest's console logger stays in place of the pino one.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const appModule = await AppModule.register();
  const app = await NestFactory.create<NestExpressApplication>(
    appModule,
    new PrototypedExpressAdapter(),
    {
      // registered in configureApp, with the configured limit
      bodyParser: false,
      // the environment is validated now: the logger follows LOG_LEVEL from the first line on
      logger: nestLogLevels(validatedEnv().LOG_LEVEL),
      // held until the pino logger takes over, so startup lines are JSON too
      bufferLogs: options.logger === undefined,
      // at shutdown, keep-alive connections are cut once the hooks ran, instead of lingering
      forceCloseConnections: true,
      ...options,
    },
  );
  if (options.logger === undefined) {
    app.useLogger(app.get(PinoLogger));
  }
  configureApp(app);
  startMessaging(app);
  return app;
}

/** Everything cross-cutting about HTTP; createApp calls it, as do tests that build the app. */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  app.disable('x-powered-by');
  const trustProxy = config.get('security.trustProxy', { infer: true });
  if (trustProxy !== undefined) {
    // req.ip then comes from X-Forwarded-For, through the trusted hops only
    app.set('trust proxy', trustProxy);
  }
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
  app.useWebSocketAdapter(new GatewayWsAdapter(app));

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.get(EventCatalog).build(document);
  return app;
}
