import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RetentionService } from '../src/retention/retention.service';
import { pollUntil } from './helpers/poll';
import { parsePrometheus, sampleValue } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';

const DAY_MS = 86_400_000;
/** More than one prune batch (1000), so the batching is exercised. */
const OLD_POINTS = 2500;

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

async function seedItem(t: TestApp, code: string): Promise<number> {
  const res = await t.http.post('/items').send({ code, base: 'USD', rate: 1 });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

async function seedHistory(db: DataSource, itemId: number, n: number, at: Date): Promise<void> {
  const repo = db.getRepository('RateHistory');
  for (let i = 0; i < n; i += 500) {
    await repo.insert(
      Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        itemId,
        rate: 1 + j / 1000,
        source: 'mock',
        recordedAt: new Date(at.getTime() - (i + j) * 1000),
      })),
    );
  }
}

interface SeededJob {
  id: string;
  state: string;
}

async function seedJob(
  db: DataSource,
  kind: string,
  state: string,
  startedAt: Date,
  finishedAt: Date | null,
  owner = 'e2e-seed',
): Promise<SeededJob> {
  const id = randomUUID();
  await db
    .getRepository('Job')
    .insert({ id, kind, state, errors: '[]', owner, startedAt, finishedAt });
  return { id, state };
}

const count = async (db: DataSource, sql: string, params: unknown[] = []) =>
  Number((await db.query(sql, params))[0].n);

describe('Retention prunes old rate history and ended jobs in the background', () => {
  let t: TestApp;
  let sqlite: boolean;
  const p = (n: number) => (sqlite ? '?' : `$${n}`);
  const at = (date: Date): string | Date =>
    sqlite ? date.toISOString().replace('T', ' ').replace('Z', '') : date;

  beforeAll(async () => {
    t = await startTestApp({
      HISTORY_RETENTION_DAYS: '7',
      JOBS_RETENTION_DAYS: '30',
      RETENTION_PRUNE_INTERVAL_SECONDS: '1',
    });
    sqlite = t.dataSource.options.type === 'sqlite';
  });
  afterAll(async () => {
    await t.close();
  });

  it('deletes history older than HISTORY_RETENTION_DAYS and ended jobs older than JOBS_RETENTION_DAYS; keeps recent rows and running jobs', async () => {
    const [a, b] = [await seedItem(t, 'AAA'), await seedItem(t, 'BBB')];
    await seedHistory(t.dataSource, a, OLD_POINTS - 500, daysAgo(10));
    await seedHistory(t.dataSource, b, 500, daysAgo(400));
    await seedHistory(t.dataSource, a, 20, daysAgo(6));
    const oldEnded = [
      await seedJob(t.dataSource, 'e2e.old', 'succeeded', daysAgo(41), daysAgo(40)),
      await seedJob(t.dataSource, 'e2e.old', 'failed', daysAgo(41), daysAgo(40)),
      await seedJob(t.dataSource, 'e2e.old', 'partially_failed', daysAgo(400), daysAgo(400)),
    ];
    const recentEnded = await seedJob(
      t.dataSource,
      'e2e.recent',
      'succeeded',
      daysAgo(29),
      daysAgo(29),
    );
    // a job running for 40 days on another instance, which holds its lease (so no orphan sweep)
    const tomorrow = sqlite
      ? "strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day')"
      : "(clock_timestamp() AT TIME ZONE 'UTC') + interval '1 day'";
    await t.dataSource.query(
      `INSERT INTO leases (name, owner, expires_at) VALUES (${p(1)}, ${p(2)}, ${tomorrow})`,
      ['job:e2e.long', 'e2e-other'],
    );
    const running = await seedJob(
      t.dataSource,
      'e2e.long',
      'running',
      daysAgo(40),
      null,
      'e2e-other',
    );

    const oldHistory = () =>
      count(t.dataSource, `SELECT COUNT(*) AS n FROM item_history WHERE recorded_at < ${p(1)}`, [
        at(daysAgo(7)),
      ]);
    // the prune runs every second, maybe during the seeding already: the metric shows it saw them all
    await pollUntil(oldHistory, (n) => n === 0, { deadlineMs: 20_000, what: 'old history pruned' });
    const jobIds = async () =>
      new Set((await t.dataSource.query<{ id: string }[]>('SELECT id FROM jobs')).map((r) => r.id));
    const left = await pollUntil(jobIds, (ids) => oldEnded.every((job) => !ids.has(job.id)), {
      deadlineMs: 20_000,
      what: 'old ended jobs pruned',
    });
    expect(left.has(recentEnded.id)).toBe(true);
    expect(left.has(running.id)).toBe(true);
    expect((await t.http.get(`/tasks/${running.id}`)).body.state).toBe('running');

    // the 20 recent points, and the 2 written by POST /items, stay
    expect(await count(t.dataSource, 'SELECT COUNT(*) AS n FROM item_history')).toBe(22);
    const history = await t.http.get(`/items/${a}/history`).query({ limit: 1000 });
    expect(history.body).toHaveLength(21);

    const metrics = parsePrometheus((await t.http.get('/metrics')).text);
    const pruned = (table: string) =>
      sampleValue(metrics, 'retention_pruned_rows_total', { table });
    expect(pruned('item_history')).toBe(OLD_POINTS);
    expect(pruned('jobs')).toBe(3);
  });

  it('finds what it prunes through an index on both engines (EXPLAIN)', async () => {
    // the statements of pruneHistory and pruneEnded
    const inOld = (subquery: string) =>
      sqlite ? `id IN (${subquery})` : `id = ANY(ARRAY(${subquery}))`;
    const statements = [
      [
        `DELETE FROM item_history WHERE ${inOld(`SELECT id FROM item_history WHERE recorded_at < ${p(1)} LIMIT ${p(2)}`)}`,
        'IDX_item_history_recorded_at',
      ],
      [
        `DELETE FROM jobs WHERE ${inOld(`SELECT id FROM jobs WHERE finished_at < ${p(1)} AND state <> 'running' LIMIT ${p(2)}`)}`,
        'IDX_jobs_finished_at',
      ],
    ];
    for (const [sql, index] of statements) {
      const params = [at(daysAgo(7)), 1000];
      let plan: string;
      if (sqlite) {
        const rows: { detail: string }[] = await t.dataSource.query(
          `EXPLAIN QUERY PLAN ${sql}`,
          params,
        );
        plan = rows.map((r) => r.detail).join('\n');
      } else {
        // a test table is tiny, so the planner would scan it anyway: can it use an index at all?
        const runner = t.dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query('SET LOCAL enable_seqscan = off');
          const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
          plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          await runner.rollbackTransaction();
        } finally {
          await runner.release();
        }
      }
      expect(plan).toContain(index);
    }
  });
});

describe('Retention with 0 days keeps everything of that table', () => {
  let t: TestApp;

  beforeAll(async () => {
    // the schedule is long: the prune is called directly
    t = await startTestApp({
      HISTORY_RETENTION_DAYS: '0',
      JOBS_RETENTION_DAYS: '0',
      RETENTION_PRUNE_INTERVAL_SECONDS: '3600',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('prunes nothing', async () => {
    const item = await seedItem(t, 'CCC');
    await seedHistory(t.dataSource, item, 10, daysAgo(3650));
    await seedJob(t.dataSource, 'e2e.old', 'succeeded', daysAgo(3650), daysAgo(3650));
    expect(await t.app.get(RetentionService).pruneOnce()).toEqual({ history: 0, jobs: 0 });
    expect(await count(t.dataSource, 'SELECT COUNT(*) AS n FROM item_history')).toBe(11);
    expect(await count(t.dataSource, 'SELECT COUNT(*) AS n FROM jobs')).toBe(1);
  });
});
