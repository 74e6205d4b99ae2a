import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

export const natsConfig = registerAs('nats', () => {
  const url = validatedEnv().NATS_URL;
  return {
    /** Empty: NATS is off (events still reach WebSocket clients and wait in the outbox). */
    servers: url === '' ? [] : url.split(','),
    /** How long a publish may wait for the server to confirm (a flush) before it is retried. */
    confirmTimeoutMs: 2000,
  };
});
