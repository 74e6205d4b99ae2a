// first: it notes the runtime's own threads before anything else starts one
import { lowerHelperThreads } from './lifecycle/helper-threads';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { PrototypedExpressAdapter } from './common/express-adapter';
import { AllConfig } from './config';
import { ConfigValidationError, validateEnv } from './config/env.validation';
import { nestLogLevels } from './config/log-levels';
import { configureApp } from './configure-app';
import { startMessaging } from './events/start-messaging';
import { handleShutdownSignals } from './lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  // body parsing is registered in configureApp, with the configured limit
  const appModule = await AppModule.register();
  // .env is loaded now: the logger can follow LOG_LEVEL from the first line on
  const app = await NestFactory.create<NestExpressApplication>(
    appModule,
    new PrototypedExpressAdapter(),
    {
      bodyParser: false,
      logger: nestLogLevels(validateEnv(process.env).LOG_LEVEL),
      // held until the pino logger below takes over, so startup lines are JSON too
      bufferLogs: true,
      // at shutdown, keep-alive connections are cut once the hooks ran, instead of lingering
      forceCloseConnections: true,
    },
  );
  app.useLogger(app.get(PinoLogger));
  configureApp(app);
  startMessaging(app);
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const port = config.get('app.port', { infer: true });
  await app.listen(port);
  handleShutdownSignals(app, config.get('app.shutdownTimeoutMs', { infer: true }));
  const nice = config.get('app.helperThreadsNice', { infer: true });
  const lowered = lowerHelperThreads(nice);
  if (lowered > 0) {
    Logger.log(
      `${lowered} runtime helper threads (garbage collection) at nice ${nice}`,
      'Bootstrap',
    );
  }
  Logger.log(`listening on http://localhost:${port} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    // one line an operator can act on, without a stack trace
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
