import { EventEnvelope } from '../src/events/domain-events';
import { DomainEvents } from '../src/events/domain-events.service';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { jobEnd, JobBody } from './helpers/jobs';
import { startTestApp, TestApp } from './helpers/test-app';

const ECB_PATH = '/stats/eurofxref/eurofxref-daily.xml';

const runSync = async (t: TestApp): Promise<JobBody> => {
  const started = await t.http.post('/tasks/run');
  expect(started.status).toBe(202);
  return jobEnd(t, `/tasks/${started.body.job_id}`, { what: 'rates sync end' });
};

interface Rate {
  base: string;
  code: string;
  rate: number;
  source: string;
}

const ratesOf = async (t: TestApp, query: Record<string, string> = {}): Promise<Rate[]> =>
  ((await t.http.get('/items').query(query)).body as Rate[]).map(
    ({ base, code, rate, source }) => ({ base, code, rate, source }),
  );

const syncedEvents = (events: EventEnvelope[], jobId: string) =>
  events
    .filter((e) => e.event === 'rates.synced')
    .map((e) => e.payload as { job_id: string; source: string; changed: { code: string }[] })
    .filter((p) => p.job_id === jobId);

describe('Rates sync from the ECB source', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'ecb',
      ECB_API_URL: `${upstream.url}${ECB_PATH}`,
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

  it('stores every rate as an EUR-based item with source ecb, listed by GET /items?source=ecb', async () => {
    await t.http.post('/items').send({ code: 'GBP', base: 'USD', rate: 0.79 }).expect(201);
    upstream.set({ ecbRates: { USD: '1.0523', JPY: '157.82', CHF: '0.9376' } });
    const job = await runSync(t);
    expect(job).toMatchObject({
      state: 'succeeded',
      total: 3,
      processed: 3,
      created: 3,
      failed: 0,
      errors: [],
    });
    const ecb = [
      { base: 'EUR', code: 'CHF', rate: 0.9376, source: 'ecb' },
      { base: 'EUR', code: 'JPY', rate: 157.82, source: 'ecb' },
      { base: 'EUR', code: 'USD', rate: 1.0523, source: 'ecb' },
    ];
    const byCode = (a: Rate, b: Rate) => a.code.localeCompare(b.code);
    expect((await ratesOf(t, { source: 'ecb' })).sort(byCode)).toEqual(ecb);
    expect((await ratesOf(t, { base: 'EUR' })).sort(byCode)).toEqual(ecb);
    expect(await ratesOf(t, { source: 'manual' })).toEqual([
      { base: 'USD', code: 'GBP', rate: 0.79, source: 'manual' },
    ]);
    const [synced] = syncedEvents(events, job.job_id);
    expect(synced.source).toBe('ecb');
    expect(synced.changed.map((c) => c.code).sort()).toEqual(['CHF', 'JPY', 'USD']);
  });

  it('moves the rates of the next day and adds a history point per changed rate', async () => {
    upstream.set({ ecbRates: { USD: '1.05', JPY: '157.82' } });
    await runSync(t);
    upstream.set({ ecbDate: '2026-12-01', ecbRates: { USD: '1.0611', JPY: '157.82' } });
    const job = await runSync(t);
    expect(job).toMatchObject({ state: 'succeeded', updated: 1, unchanged: 1 });
    const [usd] = (await t.http.get('/items').query({ base: 'EUR', code: 'USD' })).body;
    expect(usd).toMatchObject({ rate: 1.0611, source: 'ecb' });
    const history = (await t.http.get(`/items/${usd.id}/history`)).body as { rate: number }[];
    expect(history.slice(0, 2).map((p) => p.rate)).toEqual([1.0611, 1.05]);
  });

  it('offers ecb among the source values in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        { get?: { parameters?: { name: string; schema?: { enum?: string[] } }[] } }
      >;
    };
    const source = doc.paths['/items'].get?.parameters?.find((p) => p.name === 'source');
    expect(source?.schema?.enum).toContain('ecb');
    await t.http.get('/items').query({ source: 'ecb' }).expect(200);
  });

  it.each([
    ['malformed XML', { ecbFault: 'bad_body' as const }, 'not XML'],
    ['a JSON body', { ecbBody: '{"rates": {"USD": 1.1}}' }, 'expected the eurofxref XML document'],
    [
      'an envelope with no Cube',
      { ecbBody: '<Envelope><subject>x</subject></Envelope>' },
      'no Cube time',
    ],
    [
      'a rate that is not a number',
      { ecbRates: { USD: '1.2', JPY: 'abc' } },
      'rate for EUR/JPY must be a positive number',
    ],
    [
      'a negative rate',
      { ecbRates: { USD: '-1.2' } },
      'rate for EUR/USD must be a positive number',
    ],
    [
      'a currency outside the code pattern',
      { ecbRates: { USD: '1.2', usd: '1.3' } },
      'invalid currency pair',
    ],
  ])(
    '%s fails the job with the reason and leaves the rates untouched',
    async (_label, knobs, reason) => {
      upstream.set({ ecbRates: { USD: '1.0801', JPY: '160.1' } });
      expect((await runSync(t)).state).toBe('succeeded');
      const before = await ratesOf(t);
      const [usd] = (await t.http.get('/items').query({ base: 'EUR', code: 'USD' })).body;
      const historyBefore = (await t.http.get(`/items/${usd.id}/history`)).body as unknown[];
      upstream.set(knobs);
      const job = await runSync(t);
      expect(job).toMatchObject({ state: 'failed', created: 0, updated: 0, failed: 1 });
      expect(job.errors).toHaveLength(1);
      expect(job.errors[0]).toMatch(/^ecb: rates source answered a bad body: /);
      expect(job.errors[0]).toContain(reason);
      expect(await ratesOf(t)).toEqual(before);
      expect((await t.http.get(`/items/${usd.id}/history`)).body).toEqual(historyBefore);
      expect(syncedEvents(events, job.job_id)).toEqual([]);
    },
  );
});

describe('Rates sync from several sources: API_TYPE=ecb,fiat', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  const events: EventEnvelope[] = [];
  const TIMEOUT_MS = 300;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'ecb,fiat',
      ECB_API_URL: `${upstream.url}${ECB_PATH}`,
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      // one retry, short: a source that is down costs the sync well under two seconds
      EXTERNAL_RETRIES: '1',
      EXTERNAL_TIMEOUT_MS: String(TIMEOUT_MS),
      // both fake sources share one host, so one breaker: keep it out of the way
      EXTERNAL_BREAKER_THRESHOLD: '100000',
    });
    t.app.get(DomainEvents).onCommitted((e) => events.push(e));
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });
  beforeEach(async () => {
    upstream.reset();
    events.length = 0;
    await t.dataSource.query('DELETE FROM item_history');
    await t.dataSource.query('DELETE FROM items');
  });

  it('fetches both and stores both, with one rates.synced per source', async () => {
    upstream.set({
      ecbRates: { USD: '1.0523', JPY: '157.82' },
      fiatRates: { EUR: 0.95, GBP: 0.79 },
    });
    const job = await runSync(t);
    expect(job).toMatchObject({
      state: 'succeeded',
      total: 4,
      processed: 4,
      created: 4,
      failed: 0,
    });
    expect(await ratesOf(t, { source: 'ecb' })).toHaveLength(2);
    expect(await ratesOf(t, { source: 'fiat' })).toEqual([
      { base: 'USD', code: 'EUR', rate: 0.95, source: 'fiat' },
      { base: 'USD', code: 'GBP', rate: 0.79, source: 'fiat' },
    ]);
    const synced = syncedEvents(events, job.job_id);
    expect(synced.map((s) => [s.source, s.changed.length])).toEqual([
      ['ecb', 2],
      ['fiat', 2],
    ]);
  });

  it.each([
    ['answers 503', 503 as const, 'ecb: upstream answered 503'],
    ['hangs', 'hang' as const, `ecb: no answer within ${TIMEOUT_MS} ms`],
  ])(
    'ECB that %s (retried) makes the job partially_failed; fiat is stored',
    async (_label, fault, reason) => {
      upstream.set({ ecbFault: fault, fiatRates: { EUR: 0.93, GBP: 0.8 } });
      const job = await runSync(t);
      expect(job).toMatchObject({
        state: 'partially_failed',
        total: 3,
        processed: 3,
        created: 2,
        failed: 1,
        errors: [reason],
      });
      expect(upstream.stats.byPath.get(ECB_PATH)).toBe(2);
      expect(await ratesOf(t)).toEqual([
        { base: 'USD', code: 'EUR', rate: 0.93, source: 'fiat' },
        { base: 'USD', code: 'GBP', rate: 0.8, source: 'fiat' },
      ]);
      expect(syncedEvents(events, job.job_id).map((s) => [s.source, s.changed.length])).toEqual([
        ['fiat', 2],
      ]);
    },
  );

  it('both sources down fails the job, names both, and leaves the rates untouched', async () => {
    upstream.set({ fiatRates: { EUR: 0.9 } });
    expect((await runSync(t)).state).toBe('succeeded');
    const before = await ratesOf(t);
    upstream.set({ faultAll: 503, fiatRates: { EUR: 0.5 } });
    const job = await runSync(t);
    expect(job).toMatchObject({ state: 'failed', total: 2, processed: 2, failed: 2, created: 0 });
    expect(job.errors).toEqual(['ecb: upstream answered 503', 'fiat: upstream answered 503']);
    expect(await ratesOf(t)).toEqual(before);
    expect(syncedEvents(events, job.job_id)).toEqual([]);
  });
});
