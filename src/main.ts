// first: it notes the runtime's own threads before anything else starts one
import { lowerHelperThreads } from './lifecycle/helper-threads';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AllConfig } from './config';
import { ConfigValidationError } from './config/env.validation';
import { createApp } from './configure-app';
import { listenHost } from './http/http-adapter';
import { handleShutdownSignals } from './lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const port = config.get('app.port', { infer: true });
  const host = listenHost(app);
  await (host === undefined ? app.listen(port) : app.listen(port, host));
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
