import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

/** The event stream: how long its events are kept, its JetStream stream, its WebSocket caps. */
export const eventsConfig = registerAs('events', () => {
  const env = validatedEnv();
  return {
    retentionHours: env.EVENT_RETENTION_HOURS,
    retentionMax: env.EVENT_RETENTION_MAX,
    streamName: env.NATS_STREAM,
    wsMaxClients: env.WS_MAX_CLIENTS,
    wsMaxClientsPerIp: env.WS_MAX_CLIENTS_PER_IP,
  };
});
