import { connect, NatsConnection, Subscription } from 'nats';
import { DataSource, IsNull, Not } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { entities } from '../src/entities';
import { EventEnvelope } from '../src/events/domain-events';
import { OutboxEvent } from '../src/events/entities/outbox-event.entity';
import { Job } from '../src/jobs/entities/job.entity';
import { Product } from '../src/products/entities/product.entity';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { JobBody, seedProducts } from './helpers/jobs';
import { pollUntil } from './helpers/poll';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';
import { TestWsClient } from './helpers/ws-client';

const PRODUCTS = 3000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Every envelope published on `subject`, by envelope id. */
function collect(nc: NatsConnection, subject: string): Map<string, EventEnvelope> {
  const seen = new Map<string, EventEnvelope>();
  const sub: Subscription = nc.subscribe(subject);
  void (async () => {
    for await (const message of sub) {
      const envelope = JSON.parse(message.string()) as EventEnvelope;
      seen.set(envelope.id, envelope);
    }
  })();
  return seen;
}

describe('Graceful shutdown of the built service', () => {
  let nats: TestNatsServer;
  let upstream: FakeUpstream;
  let database: TestDatabase;
  let db: DataSource;
  let subscriber: NatsConnection;
  let app: SpawnedApp | undefined;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    upstream = await startFakeUpstream();
    database = await createTestDatabase();
    // the test's own connection: it prepares the schema and the products, and reads what the
    // service left behind after it exited
    db = new DataSource(dataSourceOptions(database.url, entities));
    await db.initialize();
    await db.runMigrations();
    await seedProducts(db, PRODUCTS);
    subscriber = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await app?.stop('SIGKILL');
    await subscriber.close();
    await db.destroy();
    await database.drop();
    await upstream.close();
    await nats.stop();
  });

  const start = async (env: Record<string, string> = {}): Promise<SpawnedApp> => {
    app = spawnApp(
      {
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        EXTERNAL_API_URL: upstream.url,
        EXTERNAL_CONCURRENCY: '16',
        EXTERNAL_RETRIES: '0',
        EXTERNAL_BREAKER_THRESHOLD: '100000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        ...env,
      },
      await freePort(),
    );
    await waitForHttp(`${app.baseUrl}/health`, 30_000, app);
    return app;
  };

  it('SIGTERM during refresh_all: exits 0 within the deadline, marks the job, closes WebSockets with 1001, loses no event', async () => {
    const published = collect(subscriber, 'products.updates');
    await subscriber.flush();
    // slow enough that the refresh is still running when the signal comes
    upstream.set({ latencyMs: 20, priceOffset: 1 });
    const service = await start();
    const ws = await TestWsClient.connect(service.baseUrl);

    const started = await fetch(`${service.baseUrl}/products/refresh_all`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { job_id: jobId } = (await started.json()) as { job_id: string };
    await pollUntil(
      async () =>
        ((await (await fetch(`${service.baseUrl}/tasks/${jobId}`)).json()) as JobBody).processed,
      (processed) => processed >= 500,
      { what: 'the refresh under way', deadlineMs: 30_000 },
    );

    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;
    const took = Date.now() - signalledAt;

    expect(code).toBe(0);
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(service.output()).toMatch(/SIGTERM: shutting down/);
    expect(service.output()).toMatch(/shut down cleanly/);

    // WebSocket clients: the job's end first (at its commit), then close code 1001
    expect((await ws.waitClosed()).code).toBe(1001);
    const finishedFrame = ws.frames.find(
      (f) => f.event === 'job.finished' && f.payload?.job_id === jobId,
    );
    expect(finishedFrame?.payload).toMatchObject({ state: 'failed' });

    // the job is no longer running: failed by the shutdown, with the progress it had made
    const job = await db.getRepository(Job).findOneByOrFail({ id: jobId });
    expect(job.state).toBe('failed');
    expect(job.finishedAt).not.toBeNull();
    expect(job.processed).toBeGreaterThanOrEqual(500);
    expect(job.processed).toBeLessThan(PRODUCTS);
    expect(JSON.parse(job.errors)).toContain('stopped by a shutdown');

    // none lost: every event recorded is either confirmed on NATS or still waiting in the outbox
    const outbox = await db.getRepository(OutboxEvent).find({ order: { id: 'ASC' } });
    const recorded = outbox.map((row) => ({
      sent: row.sentAt !== null,
      envelope: JSON.parse(row.envelope) as EventEnvelope,
    }));
    await pollUntil(
      async () => recorded.filter((r) => r.sent && !published.has(r.envelope.id)).length,
      (missing) => missing === 0,
      { what: 'every row marked sent seen on NATS', deadlineMs: 5_000 },
    );
    const covered = new Set([
      ...published.keys(),
      ...recorded.filter((r) => !r.sent).map((r) => r.envelope.id),
    ]);
    expect(recorded.filter((r) => !covered.has(r.envelope.id))).toEqual([]);
    // and what was recorded is every change: each updated product once, the job's start and end
    const changed = await db.getRepository(Product).countBy({ name: Not('stale name') });
    const names = recorded.map((r) => r.envelope.event);
    expect(names.filter((e) => e === 'product.updated')).toHaveLength(changed);
    expect(changed).toBe(job.processed);
    expect(
      recorded
        .filter((r) => r.envelope.event.startsWith('job.'))
        .map((r) => `${r.envelope.event} ${(r.envelope.payload as { job_id: string }).job_id}`),
    ).toEqual([`job.started ${jobId}`, `job.finished ${jobId}`]);
  }, 90_000);

  it('SIGINT on an idle instance: exits 0 at once and closes WebSockets with 1001', async () => {
    const service = await start();
    const ws = await TestWsClient.connect(service.baseUrl);
    const signalledAt = Date.now();
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect((await ws.waitClosed()).code).toBe(1001);
    // the listening socket is gone
    await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
  }, 60_000);

  it('a job whose work ignores the stop is recorded failed after half the deadline, and the process exits 0', async () => {
    const deadline = 4_000;
    // the rates source hangs and the sync waits for it (its timeout is far away)
    upstream.set({ latencyMs: 0, faultAll: 'hang' });
    const service = await start({
      SHUTDOWN_TIMEOUT_MS: String(deadline),
      EXTERNAL_TIMEOUT_MS: '600000',
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
    });
    const started = await fetch(`${service.baseUrl}/tasks/run`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { job_id: jobId } = (await started.json()) as { job_id: string };
    await pollUntil(
      async () => upstream.stats.inFlight,
      (inFlight) => inFlight > 0,
      { what: 'the rates source hanging' },
    );
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(deadline / 2);
    expect(took).toBeLessThan(deadline);
    const job = await db.getRepository(Job).findOneByOrFail({ id: jobId });
    expect(job).toMatchObject({ state: 'failed', finishedAt: expect.any(Date) });
    expect(JSON.parse(job.errors)).toEqual(['stopped by a shutdown before its work could finish']);
  }, 60_000);

  it('with NATS down at SIGTERM: exits 0, keeps the unpublished events, and the next start publishes them', async () => {
    const service = await start();
    await nats.stop();
    const ids: number[] = [];
    for (const name of ['kept 1', 'kept 2', 'kept 3']) {
      const res = await fetch(`${service.baseUrl}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, price: 1 }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const unsent = await db.getRepository(OutboxEvent).findBy({ sentAt: IsNull() });
    const kept = unsent.map((row) => JSON.parse(row.envelope) as EventEnvelope);
    expect(kept.map((e) => (e.payload as { id: number }).id)).toEqual(ids);

    await nats.start();
    const listener = await connect({ servers: nats.url });
    try {
      const published = collect(listener, 'products.updates');
      await listener.flush();
      const next = await start();
      await pollUntil(
        async () => kept.filter((e) => !published.has(e.id)).length,
        (missing) => missing === 0,
        { what: 'the kept events published by the next start' },
      );
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);
    } finally {
      await listener.close();
    }
  }, 60_000);
});
