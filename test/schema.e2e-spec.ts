import { DataSource } from 'typeorm';
import { OUTBOX_PENDING, OUTBOX_SET_ASIDE } from '../src/events/entities/outbox-event.entity';
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

  it.each([
    ['pending', OUTBOX_PENDING, 'IDX_outbox_pending'],
    ['set aside', OUTBOX_SET_ASIDE, 'IDX_outbox_set_aside'],
  ])(
    'counts and reads the %s outbox rows through their partial index, not the whole retained stream',
    async (_, where, index) => {
      const plan = await queryPlan(`SELECT COUNT(*) FROM outbox WHERE ${where}`);
      expect(plan).toContain(index);
      expect(
        await queryPlan(`SELECT seq FROM outbox WHERE ${where} ORDER BY seq LIMIT 50`),
      ).toContain(index);
    },
  );

  /** The plan as text; on PostgreSQL with table scans priced out, so a tiny table still shows the index it can use. */
  async function queryPlan(sql: string): Promise<string> {
    if (t.dataSource.options.type !== 'postgres') {
      const rows: { detail: string }[] = await t.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`);
      return rows.map((r) => r.detail).join('; ');
    }
    return t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${sql}`);
      return rows.map((r) => r['QUERY PLAN']).join('; ');
    });
  }
});
