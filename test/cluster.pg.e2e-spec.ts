import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { entities } from '../src/entities';
import { Job } from '../src/jobs/entities/job.entity';
import { Product } from '../src/products/entities/product.entity';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { pollUntil } from './helpers/poll';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { createTestDatabase, POSTGRES_BASE, TestDatabase } from './helpers/test-database';

/**
 * Many instances share one PostgreSQL database. A `.pg` spec: it runs in the
 * PostgreSQL pass only (the SQLite pass ignores it), on that server even when run alone.
 */
const INSTANCES = 3;
const LEASE_TTL_MS = 2000;
const RUN_MS = 10_000;

interface Run {
  owner: string;
  start: number;
  end: number;
}

const pidOf = (owner: string): number => Number(/-(\d+)-[0-9a-f]{8}$/.exec(owner)?.[1]);

describe('Several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let db: DataSource;
  let upstream: FakeUpstream;
  let apps: SpawnedApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_BASE);
    upstream = await startFakeUpstream();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await db?.destroy();
    await database.drop();
    await upstream.close();
  });

  const syncRuns = async (): Promise<Run[]> => {
    const jobs = await db.getRepository(Job).find({
      where: { kind: 'rates.sync' },
      order: { startedAt: 'ASC' },
    });
    return jobs.map((job) => ({
      owner: job.owner,
      start: job.startedAt.getTime(),
      end: (job.finishedAt ?? new Date(8.64e15)).getTime(),
    }));
  };

  it('three instances started at once on a fresh database all come up (one migrates, the others wait)', async () => {
    const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    apps = ports.map((port) =>
      spawnApp(
        {
          DATABASE_URL: database.url,
          EXTERNAL_API_URL: upstream.url,
          TASK_INTERVAL_SECONDS: '1',
          API_TYPE: 'mock',
          LEASE_TTL_MS: String(LEASE_TTL_MS),
          LOG_LEVEL: 'warn',
        },
        port,
      ),
    );
    await Promise.all(apps.map((app) => waitForHttp(`${app.baseUrl}/health`, 30_000, app)));
    for (const app of apps) {
      const ready = await fetch(`${app.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
    }
    db = new DataSource(dataSourceOptions(database.url, entities));
    await db.initialize();
  });

  it('a 1-second schedule over 10 seconds syncs about 10 times in all, not 30, never two at once', async () => {
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    const runs = (await syncRuns()).filter((run) => run.start >= from && run.start < from + RUN_MS);

    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(runs.length).toBeLessThanOrEqual(12);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
    }
    // one instance leads the schedule while it lives
    expect(new Set(runs.map((run) => run.owner)).size).toBe(1);
  });

  it('SIGKILL of the instance leading the schedule: another takes over once its lease expires', async () => {
    const leader = (await syncRuns()).at(-1)!.owner;
    const victim = apps.find((app) => app.child.pid === pidOf(leader));
    expect(victim).toBeDefined();
    const killedAt = Date.now();
    await victim!.stop('SIGKILL');

    const next = await pollUntil(
      async () => (await syncRuns()).find((run) => run.start > killedAt && run.owner !== leader),
      (run) => run !== undefined,
      { what: 'a sync by another instance', deadlineMs: 20_000, everyMs: 100 },
    );
    // the schedule lease was renewed for one period (1 s) plus LEASE_TTL_MS at the last tick
    expect(next!.start - killedAt).toBeLessThanOrEqual(1000 + LEASE_TTL_MS + 1500);
    expect(apps.some((app) => app.child.pid === pidOf(next!.owner) && app !== victim)).toBe(true);
    apps = apps.filter((app) => app !== victim);
  });

  it('refresh_all asked of every instance at once runs one job cluster-wide', async () => {
    const now = new Date();
    const seeded = Array.from({ length: 300 }, (_, i) => ({
      createdAt: now,
      updatedAt: now,
      name: 'stale',
      description: '',
      price: 0,
      externalId: String(i + 1),
    }));
    await db.getRepository(Product).insert(seeded);
    upstream.set({ latencyMs: 20 });

    const answers = await Promise.all(
      apps.map(async (app) => {
        const res = await fetch(`${app.baseUrl}/products/refresh_all`, { method: 'POST' });
        return { status: res.status, body: (await res.json()) as { job_id: string } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(apps.map(() => 202));
    expect(new Set(answers.map((a) => a.body.job_id)).size).toBe(1);

    const jobId = answers[0].body.job_id;
    const done = await pollUntil(
      () => db.getRepository(Job).findOneByOrFail({ id: jobId }),
      (job) => job.state !== 'running',
      { what: 'the refresh to end', deadlineMs: 30_000, everyMs: 100 },
    );
    expect(done).toMatchObject({ state: 'succeeded', processed: 300, updated: 300 });
    expect(await db.getRepository(Job).countBy({ kind: 'products.refresh' })).toBe(1);
  });
});
