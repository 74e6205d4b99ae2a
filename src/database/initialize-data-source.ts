import { DataSource, DataSourceOptions } from 'typeorm';
import { AppDataSource } from './app-data-source';
import { SqlDialect } from './sql-dialect';

/** Fixed and arbitrary: the PostgreSQL advisory lock instances hold while they migrate. */
const MIGRATION_LOCK = 7_406_221;

/**
 * The app's DataSource, initialized, with its pending migrations applied when `migrationsRun`
 * asks for them. On PostgreSQL several instances may start at once on a fresh database: a
 * session advisory lock lets one migrate while the others wait, then find nothing pending
 * (without it the others fail on "relation already exists" and start only through a retry).
 */
export async function initializeDataSource(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) {
    throw new Error('no DataSource options');
  }
  const dataSource = await new AppDataSource({ ...options, migrationsRun: false }).initialize();
  try {
    if (options.migrationsRun) {
      await (new SqlDialect(options).postgres
        ? migrateExclusively(dataSource)
        : dataSource.runMigrations());
    }
    return dataSource;
  } catch (error) {
    // a retry starts from a new DataSource: this one must not keep its pool open
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

async function migrateExclusively(dataSource: DataSource): Promise<void> {
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations();
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await session.release();
  }
}
