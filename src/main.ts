import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AllConfig } from './config';
import { ConfigValidationError } from './config/env.validation';
import { configureApp } from './configure-app';
import { startMessaging } from './events/start-messaging';

async function bootstrap(): Promise<void> {
  // body parsing is registered in configureApp, with the configured limit
  const app = await NestFactory.create<NestExpressApplication>(await AppModule.register(), {
    bodyParser: false,
  });
  configureApp(app);
  startMessaging(app);
  const port = app
    .get<ConfigService<AllConfig, true>>(ConfigService)
    .get('app.port', { infer: true });
  await app.listen(port);
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
