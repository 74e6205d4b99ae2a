import { randomUUID } from 'node:crypto';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { jobEnd, JobBody, seedProducts } from './helpers/jobs';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';

const PRODUCTS = 5000;

describe('POST /products/refresh_all and the jobs API', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_CONCURRENCY: '16',
      EXTERNAL_RETRIES: '0',
      EXTERNAL_BREAKER_THRESHOLD: '100000',
    });
    await seedProducts(t.dataSource, PRODUCTS);
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it(`refreshes ${PRODUCTS} products in the background, one job at a time, with progress and right counts`, async () => {
    upstream.set({
      latencyMs: 2,
      maxProductId: PRODUCTS - 10,
      faults: new Map([
        ['100', 500],
        ['200', 500],
      ]),
    });
    const started = await t.http.post('/products/refresh_all');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      kind: 'products.refresh',
      state: 'running',
      total: PRODUCTS,
      status_url: `/tasks/${started.body.job_id}`,
    });

    const again = await t.http.post('/products/refresh_all/');
    expect(again.status).toBe(202);
    expect(again.body.job_id).toBe(started.body.job_id);

    const seen: number[] = [];
    const done = await pollUntil(
      async () => {
        const res = await t.http.get(started.body.status_url);
        seen.push(res.body.processed);
        return res.body as JobBody;
      },
      (job) => job.state !== 'running',
      { deadlineMs: 60_000, everyMs: 20, what: 'refresh job end' },
    );
    // progress was visible while it ran
    expect(seen.some((p) => p > 0 && p < PRODUCTS)).toBe(true);
    expect(done).toMatchObject({
      state: 'partially_failed',
      total: PRODUCTS,
      processed: PRODUCTS,
      created: 0,
      updated: PRODUCTS - 12,
      unchanged: 0,
      not_found: 10,
      failed: 2,
    });
    expect(done.errors.length).toBeGreaterThan(0);
    expect(done.errors.length).toBeLessThanOrEqual(20);
    expect(done.errors.join('\n')).toContain('external_id 100: upstream answered 500');
    expect(done.finished_at).not.toBeNull();

    // products gone upstream are reported, not deleted
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM products');
    expect(Number(n)).toBe(PRODUCTS);
    const one = await t.http.get('/products').query({ external_id: '42' });
    expect(one.body[0].name).toBe('Product 42');

    // a finished job does not block the next one
    upstream.set({ faults: new Map() });
    const next = await t.http.post('/products/refresh_all');
    expect(next.body.job_id).not.toBe(started.body.job_id);
    await jobEnd(t, next.body.status_url, { deadlineMs: 60_000, what: 'second refresh end' });
    const second = (await t.http.get(next.body.status_url)).body as JobBody;
    expect(second).toMatchObject({
      updated: 2,
      unchanged: PRODUCTS - 12,
      failed: 0,
      not_found: 10,
      state: 'succeeded',
    });
  });

  it('lists jobs newest first with X-Total-Count', async () => {
    const res = await t.http.get('/tasks');
    expect(res.status).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(2);
    const starts = res.body.map((j: { started_at: string }) => Date.parse(j.started_at));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('answers 404 for an unknown job and 400 for a malformed id', async () => {
    expectErrorShape(await t.http.get(`/tasks/${randomUUID()}`), 404);
    expectErrorShape(await t.http.get('/tasks/not-a-uuid'), 400);
  });
});

describe('A job interrupted by a restart', () => {
  it('is marked failed when the service starts again', async () => {
    const first = await startTestApp();
    const id = randomUUID();
    await first.dataSource.getRepository('Job').insert({
      id,
      kind: 'products.refresh',
      state: 'running',
      owner: 'a-crashed-instance',
      startedAt: new Date(),
      finishedAt: null,
    });
    await first.app.close();
    const second = await startTestApp({}, first.database);
    try {
      const res = await second.http.get(`/tasks/${id}`);
      expect(res.body.state).toBe('failed');
      expect(res.body.errors[0]).toContain('interrupted');
      expect(res.body.finished_at).not.toBeNull();
    } finally {
      await second.close();
      await first.database.drop();
    }
  });
});
