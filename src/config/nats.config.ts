import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

/** An empty setting is an absent one. */
const given = (value: string): string | undefined => (value === '' ? undefined : value);

export const natsConfig = registerAs('nats', () => {
  const env = validatedEnv();
  return {
    /** Empty: NATS is off (events still reach WebSocket clients and wait in the outbox). */
    servers: env.NATS_URL === '' ? [] : env.NATS_URL.split(','),
    /** How long a publish may wait for the server to confirm (a flush) before it is retried. */
    confirmTimeoutMs: 2000,
    /** At most one auth method is set (startup validation sees to it). */
    auth: {
      user: given(env.NATS_USER),
      password: given(env.NATS_PASSWORD),
      token: given(env.NATS_TOKEN),
      credsFile: given(env.NATS_CREDS_FILE),
    },
    tls: {
      caFile: given(env.NATS_TLS_CA_FILE),
      certFile: given(env.NATS_TLS_CERT_FILE),
      keyFile: given(env.NATS_TLS_KEY_FILE),
    },
  };
});
