import { ConfigType } from '@nestjs/config';
import { appConfig } from './app.config';
import { clusterConfig } from './cluster.config';
import { databaseConfig } from './database.config';
import { eventsConfig } from './events.config';
import { externalConfig } from './external.config';
import { natsConfig } from './nats.config';
import { ratesConfig } from './rates.config';
import { retentionConfig } from './retention.config';
import { securityConfig } from './security.config';

/** The namespaces ConfigModule loads; each maps the environment validated once at startup. */
export const configNamespaces = [
  appConfig,
  clusterConfig,
  databaseConfig,
  eventsConfig,
  externalConfig,
  natsConfig,
  ratesConfig,
  retentionConfig,
  securityConfig,
];

export interface AllConfig {
  app: ConfigType<typeof appConfig>;
  cluster: ConfigType<typeof clusterConfig>;
  database: ConfigType<typeof databaseConfig>;
  events: ConfigType<typeof eventsConfig>;
  external: ConfigType<typeof externalConfig>;
  rates: ConfigType<typeof ratesConfig>;
  retention: ConfigType<typeof retentionConfig>;
  nats: ConfigType<typeof natsConfig>;
  security: ConfigType<typeof securityConfig>;
}
