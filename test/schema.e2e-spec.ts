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
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migrations', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
