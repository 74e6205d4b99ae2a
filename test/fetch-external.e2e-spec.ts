import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { freePort } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';

const CONCURRENCY = 8;

describe('POST /products/fetch_external', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  const rowCount = async () =>
    Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM products'))[0].n);
  const fetchIds = (ids: unknown) =>
    t.http.post('/products/fetch_external').send({ external_ids: ids });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_CONCURRENCY: String(CONCURRENCY),
      EXTERNAL_RETRIES: '2',
      EXTERNAL_TIMEOUT_MS: '400',
      // this app must not trip its breaker: the breaker has its own test below
      EXTERNAL_BREAKER_THRESHOLD: '100000',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });
  beforeEach(async () => {
    upstream.reset();
    await t.dataSource.query('DELETE FROM products');
  });

  it('creates, then finds unchanged, then updates, with per-id results and right counts', async () => {
    upstream.set({ maxProductId: 1000, faults: new Map([['9', 400]]) });
    const first = await fetchIds([1, '2', 3, 5000, 9]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      requested: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      not_found: 1,
      failed: 1,
    });
    expect(
      first.body.results.map((r: { external_id: string; status: string }) => [
        r.external_id,
        r.status,
      ]),
    ).toEqual([
      ['1', 'created'],
      ['2', 'created'],
      ['3', 'created'],
      ['5000', 'not_found'],
      ['9', 'failed'],
    ]);
    expect(first.body.results[0].product).toMatchObject({
      name: 'Product 1',
      price: 1.5,
      external_id: '1',
    });
    expect(first.body.results[4].error).toContain('400');
    // a 404 and a 400 are answers, not failures worth retrying
    expect(upstream.stats.byPath.get('/products/5000')).toBe(1);
    expect(upstream.stats.byPath.get('/products/9')).toBe(1);

    const second = await fetchIds([1, 2, 3]);
    expect(second.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

    upstream.set({ priceOffset: 10 });
    const third = await fetchIds([1, 2]);
    expect(third.body).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    const stored = await t.http.get('/products').query({ external_id: '1' });
    expect(stored.body[0].price).toBe(11.5);
    expect(await rowCount()).toBe(3);
  });

  it('accepts a bare array and repeated query parameters, and fetches duplicates once', async () => {
    const bare = await t.http.post('/products/fetch_external').send([4, '4', 4, 5]);
    expect(bare.body).toMatchObject({ requested: 2, created: 2 });
    expect(upstream.stats.byPath.get('/products/4')).toBe(1);
    const query = await t.http.post(
      '/products/fetch_external?external_id=6&external_id=7&external_id=6',
    );
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ requested: 2, created: 2 });
  });

  it('fetches concurrently: 50 ids at 200 ms take under a quarter of the sequential time, never over the limit', async () => {
    upstream.set({ latencyMs: 200 });
    const ids = Array.from({ length: 50 }, (_, i) => 100 + i);
    const started = Date.now();
    const res = await fetchIds(ids);
    const elapsed = Date.now() - started;
    expect(res.body).toMatchObject({ requested: 50, created: 50 });
    expect(elapsed).toBeLessThan((50 * 200) / 4);
    expect(upstream.stats.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(upstream.stats.peakInFlight).toBeGreaterThan(1);
  });

  it('retries a 503 and then succeeds', async () => {
    upstream.set({ faults: new Map([['11', [503]]]) });
    const res = await fetchIds([11]);
    expect(res.body.results[0]).toMatchObject({ status: 'created', error: null });
    expect(upstream.stats.byPath.get('/products/11')).toBe(2);
  });

  it('honours a 429 with Retry-After, then succeeds', async () => {
    upstream.set({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    const res = await fetchIds([12]);
    expect(res.body.results[0].status).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('answers 504 within the timeout budget when every request hangs, and writes nothing', async () => {
    upstream.set({ faultAll: 'hang' });
    const started = Date.now();
    const res = await fetchIds([21, 22, 23]);
    const elapsed = Date.now() - started;
    expectErrorShape(res, 504);
    expect(res.body.results).toHaveLength(3);
    expect(res.body.results[0]).toMatchObject({ external_id: '21', status: 'failed' });
    // 3 attempts of 400 ms plus backoff, with room for a slow machine
    expect(elapsed).toBeLessThan(3 * 400 + 2_500);
    expect(await rowCount()).toBe(0);
  });

  it('answers 502 when every id fails with 5xx, and writes nothing', async () => {
    upstream.set({ faultAll: 500 });
    const res = await fetchIds([31, 32]);
    expectErrorShape(res, 502);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['failed', 'failed']);
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ['a path', '../admin'],
    ['a query', '1?x=2'],
    ['an encoded slash', '%2F'],
    ['a space', '1 2'],
    ['zero', 0],
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['an empty string', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a boolean', true],
    ['null', null],
    ['an object', { id: 1 }],
  ])('refuses an id with %s (400) and sends nothing upstream', async (_label, id) => {
    const res = await fetchIds([1, id]);
    expectErrorShape(res, 400);
    expect(JSON.stringify(res.body.message)).toContain('external_ids[1]');
    expect(upstream.stats.requests).toBe(0);
  });

  it.each([
    ['no ids', { external_ids: [] }],
    ['1001 ids', { external_ids: Array.from({ length: 1001 }, (_, i) => i + 1) }],
    ['a non-array', { external_ids: '1,2' }],
    ['an unknown field', { external_ids: [1], force: true }],
    ['no body and no query', undefined],
  ])('answers 400 for %s', async (_label, body) => {
    const req = t.http.post('/products/fetch_external');
    const res = body === undefined ? await req : await req.send(body);
    expectErrorShape(res, 400);
    expect(upstream.stats.requests).toBe(0);
  });

  it('two concurrent calls over the same 100 ids leave exactly 100 rows', async () => {
    upstream.set({ latencyMs: 5 });
    const ids = Array.from({ length: 100 }, (_, i) => 500 + i);
    const [a, b] = await Promise.all([fetchIds(ids), fetchIds(ids)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.failed + b.body.failed).toBe(0);
    expect(a.body.created + b.body.created).toBe(100);
    expect(a.body.created + a.body.unchanged).toBe(100);
    expect(await rowCount()).toBe(100);
  });
});

describe('POST /products/fetch_external with the upstream down', () => {
  let t: TestApp;

  beforeAll(async () => {
    const closedPort = await freePort();
    t = await startTestApp({
      EXTERNAL_API_URL: `http://127.0.0.1:${closedPort}`,
      EXTERNAL_RETRIES: '1',
      EXTERNAL_BREAKER_THRESHOLD: '4',
      EXTERNAL_BREAKER_COOLDOWN_MS: '30000',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 502 and writes nothing, then 503 with Retry-After while the circuit is open', async () => {
    const res = await t.http.post('/products/fetch_external').send({ external_ids: [1, 2, 3] });
    expectErrorShape(res, 502);
    expect(res.body.results.every((r: { status: string }) => r.status === 'failed')).toBe(true);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM products');
    expect(Number(n)).toBe(0);

    const open = await t.http.post('/products/fetch_external').send({ external_ids: [1] });
    expectErrorShape(open, 503);
    expect(Number(open.headers['retry-after'])).toBe(30);
  });
});
