import { connect, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import type { Response } from 'supertest';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { TestNatsServer, untilAnswering } from './helpers/nats-server';
import { startTestApp, TestApp } from './helpers/test-app';

const codec = JSONCodec();
/** Every setting this file touches, reset per app: test-app keeps process.env between apps. */
const BUDGET_DEFAULTS = {
  API_KEYS: '',
  ALLOW_ANONYMOUS_WRITES: 'false',
  TRUST_PROXY: '',
  RATE_LIMIT_EXPENSIVE: '0',
  RATE_LIMIT_WINDOW_SECONDS: '600',
};
const ids = (count: number, first = 1) => Array.from({ length: count }, (_, i) => first + i);

/** A NATS caller: its own connection, optionally with a key in every request's headers. */
async function natsCaller(url: string, key?: string) {
  const nc: NatsConnection = await connect({ servers: url });
  const fetchExternal = async (body: unknown) => {
    const h = natsHeaders();
    if (key) {
      h.set('x-api-key', key);
    }
    const reply = await nc.request('products.fetch_external', codec.encode(body), {
      timeout: 60_000,
      headers: h,
    });
    return codec.decode(reply.data) as Record<string, unknown>;
  };
  return { nc, fetchExternal };
}

function expectBudgetRefusal(res: Response): void {
  expectErrorShape(res, 429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(600);
  expect(res.body.message).toMatch(/fetch_external id budget reached: at most \d+ ids per 600 s/);
}

describe('fetch_external id budget, without API keys (RATE_LIMIT_EXTERNAL_IDS=3000)', () => {
  let upstream: FakeUpstream;
  let nats: TestNatsServer;
  let t: TestApp;

  const rest = (count: number, forwardedFor?: string) => {
    const req = t.http.post('/products/fetch_external');
    if (forwardedFor) {
      req.set('X-Forwarded-For', forwardedFor);
    }
    return req.send({ external_ids: ids(count) });
  };
  const productCount = async (): Promise<number> => {
    const rows: { n: unknown }[] = await t.dataSource.query('SELECT COUNT(*) AS n FROM products');
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    nats = await TestNatsServer.start();
    t = await startTestApp({
      ...BUDGET_DEFAULTS,
      RATE_LIMIT_EXTERNAL_IDS: '3000',
      NATS_URL: nats.url,
      EXTERNAL_API_URL: upstream.url,
    });
  });
  afterAll(async () => {
    await t.close();
    await nats.stop();
    await upstream.close();
  });

  it('REST: 1,000 ids pass; of 2,500 more, the call that would cross 3,000 is refused whole, with no upstream request', async () => {
    expect((await rest(1000)).body).toMatchObject({ requested: 1000, created: 1000 });
    expect((await rest(1000)).body).toMatchObject({ requested: 1000, unchanged: 1000 });
    expect((await rest(500)).body).toMatchObject({ requested: 500 });
    const requests = upstream.stats.requests;
    const products = await productCount();
    const refused = await rest(1000);
    expectBudgetRefusal(refused);
    expect(refused.body.message).toMatch(
      /at most 3000 ids per 600 s per client; this call asks for 1000/,
    );
    expect(upstream.stats.requests).toBe(requests);
    expect(await productCount()).toBe(products);
    // the refused call took nothing: the 500 left are still there, and then nothing is
    expect((await rest(500)).status).toBe(200);
    expectBudgetRefusal(await rest(1));
    expect(upstream.stats.requests).toBe(requests + 500);
  });

  it('without TRUST_PROXY, another X-Forwarded-For is still the same (loopback) client', async () => {
    expectBudgetRefusal(await rest(1, '203.0.113.8'));
  });

  it('NATS: callers without a key share one bucket of their own; over it, an error reply with statusCode 429', async () => {
    const a = await natsCaller(nats.url);
    const b = await natsCaller(nats.url);
    try {
      await untilAnswering(a.nc, 'products.get', { id: 1 });
      // REST's bucket (loopback) is spent; NATS has its own
      expect(await a.fetchExternal({ external_ids: ids(1000) })).toMatchObject({ requested: 1000 });
      expect(await b.fetchExternal(ids(1000))).toMatchObject({ requested: 1000 });
      expect(await a.fetchExternal({ external_ids: ids(500) })).toMatchObject({ requested: 500 });
      const requests = upstream.stats.requests;
      const refused = await b.fetchExternal({ external_ids: ids(1000) });
      expect(refused).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(refused.message).toMatch(
        /id budget reached: at most 3000 ids per 600 s.*retry in \d+ s/,
      );
      expect(upstream.stats.requests).toBe(requests);
      expect(await a.fetchExternal(ids(500))).toMatchObject({ requested: 500 });
      expect(await b.fetchExternal([1])).toMatchObject({ statusCode: 429 });
    } finally {
      await a.nc.close();
      await b.nc.close();
    }
  });

  it('OpenAPI: fetch_external documents its 429 and the budget', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const operation = doc.paths['/products/fetch_external'].post;
    expect(operation.responses['429'].description).toMatch(/RATE_LIMIT_EXTERNAL_IDS/);
    expect(operation.responses['429'].headers['Retry-After']).toBeDefined();
    expect(operation.description).toMatch(/RATE_LIMIT_EXTERNAL_IDS/);
  });
});

describe('fetch_external id budget with API keys (API_KEYS=k1,k2, RATE_LIMIT_EXTERNAL_IDS=10)', () => {
  let upstream: FakeUpstream;
  let nats: TestNatsServer;
  let t: TestApp;

  const rest = (count: number, key: string, forwardedFor = '198.51.100.1') =>
    t.http
      .post('/products/fetch_external')
      .set({ 'X-API-Key': key, 'X-Forwarded-For': forwardedFor })
      .send({ external_ids: ids(count) });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    nats = await TestNatsServer.start();
    t = await startTestApp({
      ...BUDGET_DEFAULTS,
      API_KEYS: 'k1,k2',
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_EXTERNAL_IDS: '10',
      NATS_URL: nats.url,
      EXTERNAL_API_URL: upstream.url,
    });
  });
  afterAll(async () => {
    await t.close();
    await nats.stop();
    await upstream.close();
  });

  it('one bucket per key, shared by REST and NATS and by every address that uses the key', async () => {
    const k1 = await natsCaller(nats.url, 'k1');
    const k2 = await natsCaller(nats.url, 'k2');
    try {
      await untilAnswering(k1.nc, 'products.list', {});
      expect((await rest(6, 'k1')).status).toBe(200);
      expect(await k1.fetchExternal(ids(4))).toMatchObject({ requested: 4 });
      expectBudgetRefusal(await rest(1, 'k1', '198.51.100.2'));
      expect(await k1.fetchExternal([1])).toMatchObject({ statusCode: 429 });
      // k2 has its own ten, from any address
      expect((await rest(5, 'k2', '198.51.100.1')).status).toBe(200);
      expect((await rest(5, 'k2', '198.51.100.2')).status).toBe(200);
      expect(await k2.fetchExternal([1])).toMatchObject({ statusCode: 429 });
    } finally {
      await k1.nc.close();
      await k2.nc.close();
    }
  });
});

describe('fetch_external id budget behind a trusted proxy (TRUST_PROXY=loopback, RATE_LIMIT_EXTERNAL_IDS=10)', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  const rest = (count: number, forwardedFor?: string) => {
    const req = t.http.post('/products/fetch_external');
    if (forwardedFor) {
      req.set('X-Forwarded-For', forwardedFor);
    }
    return req.send({ external_ids: ids(count) });
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      ...BUDGET_DEFAULTS,
      // clients other than loopback must be able to write at all
      ALLOW_ANONYMOUS_WRITES: 'true',
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_EXTERNAL_IDS: '10',
      EXTERNAL_API_URL: upstream.url,
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it('two clients named by X-Forwarded-For get a bucket each', async () => {
    expect((await rest(10, '203.0.113.7')).status).toBe(200);
    expectBudgetRefusal(await rest(1, '203.0.113.7'));
    // through a second trusted hop it is still the same client
    expectBudgetRefusal(await rest(1, '203.0.113.7, 127.0.0.1'));
    expect((await rest(10, '203.0.113.8')).status).toBe(200);
    expect((await rest(10)).status).toBe(200);
    expectBudgetRefusal(await rest(1, '127.0.0.1'));
  });

  it('ids count after duplicates are dropped; a call refused as bad input counts nothing', async () => {
    const client = { 'X-Forwarded-For': '203.0.113.9' };
    const call = (body: object) => t.http.post('/products/fetch_external').set(client).send(body);
    expect((await call({ external_ids: [1, 'x/y'] })).status).toBe(400);
    // 29 ids as sent, 10 once the repeats are gone: exactly the budget
    const deduplicated = await call([...Array.from({ length: 20 }, () => 1), ...ids(9, 2)]);
    expect(deduplicated.body).toMatchObject({ requested: 10 });
    expectBudgetRefusal(await call([1]));
  });
});
