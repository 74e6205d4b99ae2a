import { ConfigType } from '@nestjs/config';
import { appConfig } from './app.config';
import { databaseConfig } from './database.config';
import { externalConfig } from './external.config';

export { appConfig, databaseConfig, externalConfig };
export const configNamespaces = [appConfig, databaseConfig, externalConfig];

export interface AllConfig {
  app: ConfigType<typeof appConfig>;
  database: ConfigType<typeof databaseConfig>;
  external: ConfigType<typeof externalConfig>;
}
