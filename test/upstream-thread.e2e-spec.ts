import { Worker } from 'node:worker_threads';
import { UpstreamHttp } from '../src/external/upstream-http';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { pollUntil } from './helpers/poll';
import { threadNiceValues } from './helpers/thread-nice';
import { startTestApp, TestApp } from './helpers/test-app';

const CONCURRENCY = 4;

/** The app's outbound calls on the worker thread (the default) and in-process: the same answers. */
describe.each(['worker', 'main'])('outbound calls with EXTERNAL_HTTP_THREAD=%s', (thread) => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      EXTERNAL_HTTP_THREAD: thread,
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_CONCURRENCY: String(CONCURRENCY),
      EXTERNAL_RETRIES: '1',
      EXTERNAL_TIMEOUT_MS: '1000',
      EXTERNAL_BREAKER_THRESHOLD: '3',
      EXTERNAL_BREAKER_COOLDOWN_MS: '30000',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('fetches, retries a 503, keeps to the concurrency limit, and reports a 404', async () => {
    upstream.set({ latencyMs: 20, maxProductId: 100, faults: new Map([['7', [503]]]) });
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const res = await t.http.post('/products/fetch_external').send([...ids, 5000]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ requested: 21, created: 20, not_found: 1, failed: 0 });
    expect(upstream.stats.byPath.get('/products/7')).toBe(2);
    expect(upstream.stats.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);
  });

  it('opens the circuit after consecutive failures: then 503 with Retry-After, no call out', async () => {
    upstream.reset();
    upstream.set({ faultAll: 500 });
    const down = await t.http.post('/products/fetch_external').send([201, 202]);
    expectErrorShape(down, 502);
    const before = upstream.stats.requests;
    const open = await t.http.post('/products/fetch_external').send([203]);
    expectErrorShape(open, 503);
    expect(Number(open.headers['retry-after'])).toBe(30);
    expect(upstream.stats.requests).toBe(before);
  });
});

describe('the upstream worker thread', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      EXTERNAL_HTTP_THREAD: 'worker',
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_RETRIES: '0',
      EXTERNAL_TIMEOUT_MS: '10000',
      EXTERNAL_BREAKER_THRESHOLD: '1000',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('is started with the app, before any call needs it', async () => {
    expect(upstream.stats.requests).toBe(0);
    // it lowers its own priority as soon as it has loaded: the sign that it is up
    await pollUntil(
      () => Promise.resolve([...threadNiceValues().values()].filter((nice) => nice === 19).length),
      (count) => count === 1,
      { what: 'the upstream worker thread running' },
    );
    expect(upstream.stats.requests).toBe(0);
  });

  it('when it dies mid-call, the call fails as an upstream failure (502) and the next call starts a new one', async () => {
    upstream.set({ faultAll: 'hang' });
    const call = t.http.post('/products/fetch_external').send([1, 2, 3]);
    const pending = call.then((res) => res);
    await pollUntil(
      () => Promise.resolve(upstream.stats.inFlight),
      (n) => n === 3,
      { what: 'three hanging upstream requests' },
    );
    // a crash of the thread, as an uncaught error in it would be
    const worker = t.app.get<UpstreamHttp, { worker: Worker }>(UpstreamHttp).worker;
    await worker.terminate();
    const res = await pending;
    expectErrorShape(res, 502);
    expect(res.body.results[0].error).toContain('upstream worker stopped');
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM products'))[0].n)).toBe(0);

    upstream.reset();
    const again = await t.http.post('/products/fetch_external').send([4]);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(1);
  });

  it('runs at the lowest CPU priority (nice 19), the event loop of the API at the normal one', async () => {
    await t.http.post('/products/fetch_external').send([1]).expect(200);
    const before = threadNiceValues();
    expect(before.get(process.pid)).toBe(0);
    expect([...before.values()].filter((nice) => nice === 19)).toHaveLength(1);
    // the thread that has it is the upstream worker: gone with it
    await t.app.get<UpstreamHttp, { worker: Worker }>(UpstreamHttp).worker.terminate();
    await pollUntil(
      () => Promise.resolve([...threadNiceValues().values()].filter((nice) => nice === 19).length),
      (count) => count === 0,
      { what: 'the niced thread gone with the worker' },
    );
    await t.http.post('/products/fetch_external').send([2]).expect(200);
  });
});
