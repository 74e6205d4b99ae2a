import { EventEnvelope } from '../src/events/domain-events';
import { DomainEvents } from '../src/events/domain-events.service';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { jobEnd, JobBody } from './helpers/jobs';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';

const runSync = async (t: TestApp): Promise<JobBody> => {
  const started = await t.http.post('/tasks/run');
  expect(started.status).toBe(202);
  expect(started.body.kind).toBe('rates.sync');
  return jobEnd(t, `/tasks/${started.body.job_id}`, { what: 'rates sync end' });
};

const ratesOf = async (t: TestApp) =>
  (
    (await t.http.get('/items')).body as {
      base: string;
      code: string;
      rate: number;
      source: string;
    }[]
  ).map(({ base, code, rate, source }) => ({ base, code, rate, source }));

describe('Rates sync from the fiat source', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      EXTERNAL_RETRIES: '0',
      EXTERNAL_BREAKER_THRESHOLD: '100000',
    });
    t.app.get(DomainEvents).onCommitted((e) => events.push(e));
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    events.length = 0;
  });

  it('stores every rate with its code, base and source, and raises one rates.synced', async () => {
    upstream.set({ fiatRates: { EUR: 0.92, GBP: 0.79 } });
    const job = await runSync(t);
    expect(job).toMatchObject({ state: 'succeeded', created: 2, updated: 0 });
    expect(await ratesOf(t)).toEqual([
      { base: 'USD', code: 'EUR', rate: 0.92, source: 'fiat' },
      { base: 'USD', code: 'GBP', rate: 0.79, source: 'fiat' },
    ]);
    const synced = events.filter((e) => e.event === 'rates.synced');
    expect(synced).toHaveLength(1);
    expect(synced[0].payload).toMatchObject({ job_id: job.job_id, source: 'fiat' });
    expect((synced[0].payload as { changed: unknown[] }).changed).toHaveLength(2);
  });

  it('3 syncs that move a rate leave 3 history points newest first; a sync that changes nothing adds none', async () => {
    await t.dataSource.query('DELETE FROM item_history');
    await t.dataSource.query('DELETE FROM items');
    for (const eur of [1.1, 1.2, 1.3]) {
      upstream.set({ fiatRates: { EUR: eur } });
      expect((await runSync(t)).state).toBe('succeeded');
    }
    const unchanged = await runSync(t);
    expect(unchanged).toMatchObject({ state: 'succeeded', created: 0, updated: 0, unchanged: 1 });
    const [item] = (await t.http.get('/items').query({ code: 'EUR' })).body;
    const history = await t.http.get(`/items/${item.id}/history`);
    expect(history.body.map((p: { rate: number; source: string }) => [p.rate, p.source])).toEqual([
      [1.3, 'fiat'],
      [1.2, 'fiat'],
      [1.1, 'fiat'],
    ]);
    const last = events.filter((e) => e.event === 'rates.synced').pop();
    expect((last?.payload as { changed: unknown[] }).changed).toEqual([]);
  });

  it.each([
    ['an upstream 500', { faultAll: 500 as const }, 'upstream answered 500'],
    ['a body of the wrong shape', { faultAll: 'bad_body' as const }, 'bad body'],
    ['a non-positive rate', { fiatRates: { EUR: 2, GBP: -1 } }, 'must be a positive number'],
  ])(
    '%s fails the job with the reason and leaves the rates untouched',
    async (_label, knobs, reason) => {
      upstream.set({ fiatRates: { EUR: 0.5, GBP: 0.6 } });
      await runSync(t);
      const before = await ratesOf(t);
      upstream.set(knobs);
      const job = await runSync(t);
      expect(job.state).toBe('failed');
      expect(job.errors.join(' ')).toContain(reason);
      expect(await ratesOf(t)).toEqual(before);
    },
  );

  it('POST /tasks/run twice while a sync runs returns the same job', async () => {
    upstream.set({ latencyMs: 500 });
    const [a, b] = [await t.http.post('/tasks/run'), await t.http.post('/tasks/run')];
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body.job_id).toBe(a.body.job_id);
    expect(b.body.state).toBe('running');
    await jobEnd(t, `/tasks/${a.body.job_id}`);
  });
});

describe('Rates sync from the crypto source', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'crypto',
      CRYPTO_API_URL: `${upstream.url}/api/v3/ticker/price`,
      CRYPTO_SYMBOLS: 'BTCUSDT,ETHUSDT',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('stores only CRYPTO_SYMBOLS, split into code and base, prices as numbers', async () => {
    const job = await runSync(t);
    expect(job.state).toBe('succeeded');
    expect(await ratesOf(t)).toEqual([
      { base: 'USDT', code: 'BTC', rate: 67000.1, source: 'crypto' },
      { base: 'USDT', code: 'ETH', rate: 3500.55, source: 'crypto' },
    ]);
  });

  it('fails on a non-numeric price and keeps the stored rates', async () => {
    const before = await ratesOf(t);
    upstream.set({ cryptoPrices: { BTCUSDT: 'lots', ETHUSDT: '1' } });
    const job = await runSync(t);
    expect(job.state).toBe('failed');
    expect(await ratesOf(t)).toEqual(before);
  });
});

describe('The scheduled rates sync', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    // a sync takes 1.5 s but ticks come every second: ticks must be skipped, never overlap
    upstream.set({ latencyMs: 1500 });
    t = await startTestApp({
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      TASK_INTERVAL_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('runs repeatedly and never two syncs at once', async () => {
    const jobs = await pollUntil(
      async () =>
        ((await t.http.get('/tasks')).body as JobBody[]).filter((j) => j.finished_at !== null),
      (finished) => finished.length >= 3,
      { deadlineMs: 20_000, everyMs: 200, what: '3 finished scheduled syncs' },
    );
    const spans = jobs
      .map((j) => [Date.parse(j.started_at), Date.parse(j.finished_at as string)])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    }
    expect(jobs.every((j) => j.kind === 'rates.sync' && j.state === 'succeeded')).toBe(true);
    expect(upstream.stats.peakInFlight).toBe(1);
  });
});
