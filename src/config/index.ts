import { ConfigType } from '@nestjs/config';
import { appConfig } from './app.config';
import { databaseConfig } from './database.config';

export { appConfig, databaseConfig };
export const configNamespaces = [appConfig, databaseConfig];

export interface AllConfig {
  app: ConfigType<typeof appConfig>;
  database: ConfigType<typeof databaseConfig>;
}
