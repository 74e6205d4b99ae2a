import { TransactionRunner } from '../src/database/transaction-runner';
import { DomainEvents } from '../src/events/domain-events.service';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { jobEnd } from './helpers/jobs';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  ts: string;
  origin: string;
}

describe('The HTTP event feed: GET /events and GET /events/latest', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  let ws: TestWsClient;
  /** What the first test committed: the positions the others read back. */
  let all: Envelope[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      EXTERNAL_RETRIES: '0',
    });
    ws = await TestWsClient.connect(t.baseUrl);
  });
  afterAll(async () => {
    ws.close();
    await t.close();
    await upstream.close();
  });

  it('lists every change (products, items, a rates sync and its job) gap-free in commit order, the very envelopes WebSocket sent', async () => {
    const product = (await t.http.post('/products').send({ name: 'A', price: 1 }).expect(201)).body;
    await t.http.patch(`/products/${product.id}`).send({ price: 2 }).expect(200);
    await t.http.delete(`/products/${product.id}`).expect(204);
    const item = (await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 })).body;
    await t.http.patch(`/items/${item.id}`).send({ rate: 0.95 }).expect(200);
    upstream.set({ fiatRates: { GBP: 0.8, EUR: 0.96 } });
    const job = (await t.http.post('/tasks/run').expect(202)).body;
    expect((await jobEnd(t, `/tasks/${job.job_id}`)).state).toBe('succeeded');
    await ws.next((f) => f.event === 'job.finished');

    const res = await t.http.get('/events').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    all = res.body as Envelope[];
    expect(all.map((e) => e.event)).toEqual([
      'product.created',
      'product.updated',
      'product.deleted',
      'item.created',
      'item.updated',
      'job.started',
      'rates.synced',
      'job.finished',
    ]);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.find((e) => e.event === 'rates.synced')?.payload).toMatchObject({
      job_id: job.job_id,
    });
    // byte for byte what the WebSocket client got, in the same order
    const frames = ws.frames.slice(1);
    expect(frames).toEqual(all);
    expect(res.text).toBe(`[${frames.map((f) => JSON.stringify(f)).join(',')}]`);

    const latest = await t.http.get('/events/latest').expect(200);
    expect(latest.body).toEqual({
      seq: 8,
      epoch: expect.stringMatching(/^[0-9a-f-]{36}$/),
      earliest_seq: 1,
    });
    expect(res.headers['x-stream-epoch']).toBe(latest.body.epoch);
  });

  it('pages with after and limit, and answers [] past the latest position', async () => {
    const page = await t.http.get('/events').query({ after: 2, limit: 3 }).expect(200);
    expect(page.body).toEqual(all.slice(2, 5));
    expect(page.headers['x-stream-epoch']).toEqual(expect.any(String));
    expect((await t.http.get('/events/').query({ after: 7 }).expect(200)).body).toEqual([all[7]]);
    const past = await t.http.get('/events').query({ after: 8 }).expect(200);
    expect(past.body).toEqual([]);
    expect(past.headers['x-stream-epoch']).toBe(page.headers['x-stream-epoch']);
    expect((await t.http.get('/events').query({ after: 1e9 }).expect(200)).body).toEqual([]);
    expect((await t.http.get('/events').query({ limit: 1000 }).expect(200)).body).toHaveLength(8);
  });

  it.each([
    [{ after: -1 }, 'after must be an integer >= 0'],
    [{ after: 'abc' }, 'after must be an integer >= 0'],
    [{ after: '1.5' }, 'after must be an integer >= 0'],
    [{ after: '1e3' }, 'after must be an integer >= 0'],
    [{ after: '' }, 'after must be an integer >= 0'],
    [{ limit: 0 }, 'limit must be an integer between 1 and 1000'],
    [{ limit: 1001 }, 'limit must be an integer between 1 and 1000'],
    [{ limit: 'ten' }, 'limit must be an integer between 1 and 1000'],
    [{ offset: 1 }, 'property offset should not exist'],
  ])('answers 400 in the error shape for %j', async (query, message) => {
    const res = await t.http.get('/events').query(query);
    expectErrorShape(res, 400);
    expect(res.body.message).toEqual([message]);
  });

  it('answers both problems at once, one per field', async () => {
    const res = await t.http.get('/events').query({ after: -5, limit: 0 });
    expectErrorShape(res, 400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'after must be an integer >= 0',
        'limit must be an integer between 1 and 1000',
      ]),
    );
  });

  it('documents both endpoints in Swagger, with the epoch header and the 410 answer', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const feed = doc.paths['/events'].get;
    expect(Object.keys(feed.responses)).toEqual(expect.arrayContaining(['200', '400', '410']));
    expect(feed.responses['200'].headers['X-Stream-Epoch']).toBeDefined();
    expect(feed.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'limit']);
    expect(doc.paths['/events/latest'].get.responses['200']).toBeDefined();
    expect(doc.paths['/events/stream'].get.responses['200'].content['text/event-stream']).toEqual(
      expect.objectContaining({ example: expect.stringContaining('id: 42\nevent: item.updated') }),
    );
    expect(doc.components.schemas.EventsGoneErrorDto.properties.earliest_seq).toBeDefined();
  });

  // last: it deletes the oldest rows, as retention would (the relay prunes only every 30 s)
  it('answers 410 with earliest_seq once events after `after` were pruned, and serves what is retained', async () => {
    await t.dataSource.query('DELETE FROM outbox WHERE seq <= 3');
    for (const after of [0, 1, 2]) {
      const gone = await t.http.get('/events').query({ after });
      expectErrorShape(gone, 410);
      expect(gone.body).toMatchObject({
        statusCode: 410,
        error: 'Gone',
        earliest_seq: 4,
        message: `events after ${after} are no longer retained; the earliest retained is 4`,
      });
    }
    expect((await t.http.get('/events').query({ after: 3 }).expect(200)).body).toEqual(
      all.slice(3),
    );
    expect((await t.http.get('/events/latest').expect(200)).body).toMatchObject({
      seq: 8,
      earliest_seq: 4,
    });

    // a hole further on: the page stops before it, and the next call is told of the loss
    await t.dataSource.query('DELETE FROM outbox WHERE seq = 6');
    expect((await t.http.get('/events').query({ after: 3 }).expect(200)).body).toEqual(
      all.slice(3, 5),
    );
    const hole = await t.http.get('/events').query({ after: 5 });
    expectErrorShape(hole, 410);
    expect(hole.body.earliest_seq).toBe(7);

    // everything pruned: a reader behind is told; one at the latest position is not
    await t.dataSource.query('DELETE FROM outbox');
    expect((await t.http.get('/events').query({ after: 7 })).body).toMatchObject({
      statusCode: 410,
      earliest_seq: 9,
    });
    expect((await t.http.get('/events').query({ after: 8 }).expect(200)).body).toEqual([]);
    expect((await t.http.get('/events/latest').expect(200)).body).toMatchObject({
      seq: 8,
      earliest_seq: 9,
    });
  });

  it('gives a transaction of 1,201 events (more than one INSERT) 1,201 consecutive positions, each envelope its own', async () => {
    const before = ((await t.http.get('/events/latest').expect(200)).body as { seq: number }).seq;
    const events = t.app.get(DomainEvents);
    await t.app.get(TransactionRunner).run((tx) =>
      events.recordMany(
        tx,
        Array.from({ length: 1201 }, (_, i) => ({
          event: 'product.updated' as const,
          payload: { id: i + 1, name: `p${i + 1}`, description: '', price: 1 } as never,
        })),
      ),
    );
    const read: Envelope[] = [];
    while (read.length < 1201) {
      const after = read.length === 0 ? before : read[read.length - 1].seq;
      const page = (await t.http.get('/events').query({ after, limit: 1000 }).expect(200))
        .body as Envelope[];
      expect(page.length).toBeGreaterThan(0);
      read.push(...page);
    }
    expect(read.map((e) => e.seq)).toEqual(Array.from({ length: 1201 }, (_, i) => before + 1 + i));
    expect(read.map((e) => (e.payload as { name: string }).name)).toEqual(
      Array.from({ length: 1201 }, (_, i) => `p${i + 1}`),
    );
    expect(new Set(read.map((e) => e.id)).size).toBe(1201);
  });
});
