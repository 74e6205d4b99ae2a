import { ConfigType } from '@nestjs/config';
import { appConfig } from './app.config';
import { databaseConfig } from './database.config';
import { externalConfig } from './external.config';
import { ratesConfig } from './rates.config';

export { appConfig, databaseConfig, externalConfig, ratesConfig };
export const configNamespaces = [appConfig, databaseConfig, externalConfig, ratesConfig];

export interface AllConfig {
  app: ConfigType<typeof appConfig>;
  database: ConfigType<typeof databaseConfig>;
  external: ConfigType<typeof externalConfig>;
  rates: ConfigType<typeof ratesConfig>;
}
