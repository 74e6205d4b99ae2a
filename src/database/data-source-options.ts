import * as sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

/**
 * Driver options for `DATABASE_URL`: `sqlite:<file>` (embedded) or `postgres://…`. The app's
 * modules register their own entities; the migration CLI and tests pass the full list.
 */
export function dataSourceOptions(
  databaseUrl: string,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  const common = {
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
  } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    return {
      ...common,
      type: 'sqlite',
      database: databaseUrl.slice('sqlite:'.length) || './data/app.db',
      // WAL lets readers run beside the writer; the busy timeout waits out a lock held by
      // another process (the migration CLI, a second instance) instead of failing at once
      enableWAL: true,
      busyTimeout: 5000,
      // TypeORM always calls sqlite3.verbose(), which captures a stack trace on every query
      // (~7% of a GET); this keeps the driver in its normal mode
      driver: { ...sqlite3, verbose: () => sqlite3 },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: databaseUrl,
    extra: { max: 20, options: '-c TimeZone=UTC' },
  };
}
