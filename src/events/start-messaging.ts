import { INestApplication, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { redactUrl } from '../config/redact-url';
import { AllConfig } from '../config';
import { StoppedBeforeConnect } from './connect-until-stopped';
import { natsConnectOptions } from './nats-options';
import { natsMicroserviceOptions } from './nats-transport';

/**
 * Connects the NATS microservice (subscriptions and request-reply) without waiting for it: with
 * NATS down, an awaited start would wait until NATS is reachable (connectUntilStopped). HTTP and
 * WebSocket serve meanwhile; the transport connects whenever NATS comes up.
 */
export function startMessaging(app: INestApplication): void {
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const nats = config.get('nats', { infer: true });
  if (nats.servers.length === 0) {
    return;
  }
  app.connectMicroservice(
    natsMicroserviceOptions(
      natsConnectOptions(nats),
      config.get('app.instanceId', { infer: true }),
    ),
    { inheritAppConfig: true },
  );
  app.startAllMicroservices().catch((error: unknown) => {
    // a shutdown before NATS was ever reachable: nothing failed
    if (!(error instanceof StoppedBeforeConnect)) {
      new Logger('Messaging').error(
        `NATS microservice failed to start: ${redactUrl(String(error))}`,
      );
    }
  });
}
