import 'dotenv/config';
import { DataSource } from 'typeorm';
import { validateEnv } from './src/config/env.validation';
import { dataSourceOptions } from './src/database/data-source-options';
import { entities } from './src/entities';

/**
 * The DataSource of the migration CLI (`npm run migration:*`). The app builds its own from the
 * same dataSourceOptions(), so both always agree on entities, migrations and driver settings.
 */
export default new DataSource(dataSourceOptions(validateEnv(process.env).DATABASE_URL, entities));
