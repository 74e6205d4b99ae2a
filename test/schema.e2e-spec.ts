import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './helpers/test-app';

describe('Database schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is built by the migrations at startup, which match the entities (migration:generate finds nothing)', async () => {
    const ran: { name: string }[] = await t.dataSource.query('SELECT name FROM migrations');
    expect(ran.map((m) => m.name)).toContain('CreateProducts1763859600000');
    // on a connection of its own: on SQLite TypeORM's one query runner is shared, and a
    // transaction of the running app (the outbox relay's, every second) releasing it meanwhile
    // clears the tables the schema builder has loaded, so it would see none
    const own = await new DataSource({
      ...t.dataSource.options,
      migrationsRun: false,
    }).initialize();
    try {
      const pending = await own.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await own.destroy();
    }
  });

  it('has no pending migrations', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
