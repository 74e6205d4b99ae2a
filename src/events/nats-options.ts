import { readFileSync } from 'node:fs';
import { ConfigType } from '@nestjs/config';
import { ConnectionOptions, credsAuthenticator } from 'nats';
import { natsConfig } from '../config/nats.config';

/** What every NATS connection of the service takes from NATS_*: servers, credentials, TLS. */
export type NatsConnectOptions = Pick<
  ConnectionOptions,
  'servers' | 'user' | 'pass' | 'token' | 'authenticator' | 'tls'
>;

/**
 * The servers, the one auth method configured and TLS, for nats.js. The creds file is read here,
 * once, at startup (its path was checked then).
 */
export function natsConnectOptions(config: ConfigType<typeof natsConfig>): NatsConnectOptions {
  const { auth, tls } = config;
  const options: NatsConnectOptions = { servers: config.servers };
  if (auth.user !== undefined) {
    options.user = auth.user;
    options.pass = auth.password;
  }
  if (auth.token !== undefined) {
    options.token = auth.token;
  }
  if (auth.credsFile !== undefined) {
    options.authenticator = credsAuthenticator(new Uint8Array(readFileSync(auth.credsFile)));
  }
  if (tls.caFile !== undefined || tls.certFile !== undefined) {
    // nats.js reads the files itself, at each (re)connection
    options.tls = { caFile: tls.caFile, certFile: tls.certFile, keyFile: tls.keyFile };
  }
  return options;
}
