import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

/** The event stream: how long its events are kept, and its JetStream stream. */
export const eventsConfig = registerAs('events', () => {
  const env = validateEnv(process.env);
  return {
    retentionHours: env.EVENT_RETENTION_HOURS,
    retentionMax: env.EVENT_RETENTION_MAX,
    streamName: env.NATS_STREAM,
  };
});
