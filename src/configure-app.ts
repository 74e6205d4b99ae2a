import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation';
import { AllConfig } from './config';
import { nestLogLevels } from './config/log-levels';
import { validatedEnv } from './config/validated-env';
import { EventCatalog } from './events/event-catalog.service';
import { startMessaging } from './events/start-messaging';
import { GatewayWsAdapter } from './gateway/handshake-ws-adapter';
import { createHttpAdapter, setUpHttp } from './http/http-adapter';
import { buildOpenApiDocument } from './openapi-document';
import { corsOptions } from './security/http-security';

/** What the e2e tests set differently from main.ts. */
export type CreateAppOptions = Pick<NestApplicationOptions, 'logger' | 'abortOnError'>;

/**
 * The app as main.ts and the e2e tests run it, ready to listen. The environment is validated
 * first, so a bad value rejects with a ConfigValidationError before anything starts. Given a
 * `logger`, Nest's console logger stays in place of the pino one.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<INestApplication> {
  const appModule = await AppModule.register();
  const env = validatedEnv();
  const app = await NestFactory.create<INestApplication>(
    appModule,
    // HTTP_ADAPTER: Express or Fastify; everything below works on either
    await createHttpAdapter(env),
    {
      // registered in configureApp, with the configured limit
      bodyParser: false,
      // the environment is validated now: the logger follows LOG_LEVEL from the first line on
      logger: nestLogLevels(env.LOG_LEVEL),
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
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  setUpHttp(app, {
    cors: corsOptions(config.get('security.corsOrigins', { infer: true })),
    bodyLimit: config.get('app.bodyLimit', { infer: true }),
    trustProxy: config.get('security.trustProxy', { infer: true }),
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));
  app.useWebSocketAdapter(new GatewayWsAdapter(app));

  // built on the first request for either document, not on the way to ready
  let document: OpenAPIObject | undefined;
  const openApi = () => (document ??= buildOpenApiDocument(app));
  SwaggerModule.setup('docs', app, openApi, { jsonDocumentUrl: 'docs-json' });
  app.get(EventCatalog).buildFrom(openApi);
  return app;
}
