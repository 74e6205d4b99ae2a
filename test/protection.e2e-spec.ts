import type { Response, Test } from 'supertest';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { openRemoteClient, RemoteAnswer, RemoteClient } from './helpers/netns';
import { pollUntil } from './helpers/poll';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

/** Every setting this file touches, reset per app: test-app keeps process.env between apps. */
const PROTECTION_DEFAULTS = {
  API_KEYS: '',
  ALLOW_ANONYMOUS_WRITES: 'false',
  TRUST_PROXY: '',
  RATE_LIMIT_EXPENSIVE: '0',
  RATE_LIMIT_EXTERNAL_IDS: '3000',
};
const OUTSIDER = { 'X-Forwarded-For': '203.0.113.7' };
const PROTECTED = /runs without API keys.*loopback only.*API_KEYS.*ALLOW_ANONYMOUS_WRITES=true/;
const TABLES = ['products', 'items', 'item_history', 'jobs', 'outbox', 'event_stream'];

/** The rows and events a refused write must not touch. */
async function snapshot(t: TestApp): Promise<unknown[]> {
  return [
    await Promise.all(TABLES.map((table) => t.dataSource.query(`SELECT * FROM ${table}`))),
    (await t.http.get('/events').expect(200)).body,
    (await t.http.get('/products').expect(200)).body,
  ];
}

/** Until the relay has marked every outbox row sent: the one change that follows a write. */
async function relayed(t: TestApp): Promise<void> {
  const pending = async (): Promise<number> => {
    const rows: { n: unknown }[] = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
    );
    return Number(rows[0].n);
  };
  await pollUntil(pending, (n) => n === 0, { what: 'the outbox relayed' });
}

describe('Protected mode behind a trusted proxy (no API_KEYS, TRUST_PROXY=loopback)', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  let productId: number;
  let itemId: number;

  const writes: [string, () => Test][] = [
    ['POST /products', () => t.http.post('/products').send({ name: 'x', price: 1 })],
    [
      'PUT /products/{id}',
      () => t.http.put(`/products/${productId}`).send({ name: 'x', price: 2 }),
    ],
    ['PATCH /products/{id}', () => t.http.patch(`/products/${productId}`).send({ price: 3 })],
    ['DELETE /products/{id}', () => t.http.delete(`/products/${productId}`)],
    [
      'POST /products/fetch_external',
      () => t.http.post('/products/fetch_external').send({ external_ids: [1] }),
    ],
    ['POST /products/refresh_all', () => t.http.post('/products/refresh_all')],
    ['POST /items', () => t.http.post('/items').send({ code: 'GBP', base: 'USD', rate: 0.8 })],
    ['PATCH /items/{id}', () => t.http.patch(`/items/${itemId}`).send({ rate: 0.5 })],
    ['DELETE /items/{id}', () => t.http.delete(`/items/${itemId}`)],
    ['POST /tasks/run', () => t.http.post('/tasks/run')],
  ];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      ...PROTECTION_DEFAULTS,
      TRUST_PROXY: 'loopback',
      EXTERNAL_API_URL: upstream.url,
    });
    // from loopback itself, with no proxy header: writes work as they always did
    productId = (await t.http.post('/products').send({ name: 'kept', price: 1 }).expect(201)).body
      .id;
    itemId = (await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 }).expect(201))
      .body.id;
    await relayed(t);
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  it.each(writes)(
    '%s from X-Forwarded-For: 203.0.113.7 is 401 saying why and how to open it; nothing is written',
    async (_label, request) => {
      const before = await snapshot(t);
      const requests = upstream.stats.requests;
      for (const forwarded of ['203.0.113.7', '198.51.100.1, 127.0.0.1', '::ffff:10.1.2.3']) {
        const res: Response = await request().set('X-Forwarded-For', forwarded);
        expectErrorShape(res, 401);
        expect(res.body.message).toMatch(PROTECTED);
      }
      expect(await snapshot(t)).toEqual(before);
      expect(upstream.stats.requests).toBe(requests);
      expect((await t.http.get(`/products/${productId}`).expect(200)).body).toMatchObject({
        name: 'kept',
        price: 1,
      });
    },
  );

  it('GETs stay open to any client', async () => {
    for (const path of ['/products', `/products/${productId}`, '/items', '/tasks', '/events']) {
      const res = await t.http.get(path).set(OUTSIDER);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    expect((await t.http.head('/products').set(OUTSIDER)).status).toBe(200);
  });

  it('a proxy that names a loopback client (or no proxy header at all) may write', async () => {
    const viaProxy = await t.http
      .post('/products')
      .set('X-Forwarded-For', '127.0.0.1')
      .send({ name: 'local', price: 2 });
    expect(viaProxy.status).toBe(201);
    const direct = await t.http.patch(`/products/${viaProxy.body.id}`).send({ price: 3 });
    expect(direct.status).toBe(200);
    const fetched = await t.http
      .post('/products/fetch_external')
      .set('X-Forwarded-For', '::1')
      .send({ external_ids: [7] });
    expect(fetched.body).toMatchObject({ requested: 1, created: 1 });
  });

  it('OpenAPI: writes document the 401', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(doc.paths['/products'].post.responses['401']).toBeDefined();
  });
});

describe('Without TRUST_PROXY, X-Forwarded-For is not believed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...PROTECTION_DEFAULTS });
  });
  afterAll(() => t.close());

  it('a write from loopback naming 203.0.113.7 as its client is still a loopback write', async () => {
    const res = await t.http.post('/products').set(OUTSIDER).send({ name: 'ok', price: 1 });
    expect(res.status).toBe(201);
    expect((await t.http.get(`/products/${res.body.id}`).expect(200)).body.name).toBe('ok');
  });
});

describe('With API_KEYS set, the key decides (TRUST_PROXY=loopback, API_KEYS=k1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...PROTECTION_DEFAULTS, TRUST_PROXY: 'loopback', API_KEYS: 'k1' });
  });
  afterAll(() => t.close());

  it('any address with the key may write; none without it, loopback included', async () => {
    const created = await t.http
      .post('/products')
      .set({ ...OUTSIDER, 'X-API-Key': 'k1' })
      .send({ name: 'keyed', price: 1 });
    expect(created.status).toBe(201);
    for (const headers of [{}, OUTSIDER, { 'X-Forwarded-For': '127.0.0.1' }]) {
      const refused = await t.http.post('/products').set(headers).send({ name: 'no', price: 1 });
      expectErrorShape(refused, 401);
      expect(refused.body.message).toMatch(/API key is required/);
    }
    expect((await t.http.get('/products').expect(200)).body).toHaveLength(1);
  });
});

describe('The built app, from a client on a real non-loopback address', () => {
  let remote: RemoteClient | undefined;
  let databases: TestDatabase[] = [];
  const apps: SpawnedApp[] = [];

  /**
   * The client: curl in a network namespace (the app sees its veth address); where namespaces are
   * not permitted, the same requests from loopback through a trusted proxy header instead.
   */
  let send: (
    app: SpawnedApp,
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<RemoteAnswer>;
  let clientAddress: string;

  beforeAll(async () => {
    const opened = await openRemoteClient();
    if (typeof opened === 'string') {
      console.warn(`${opened}: asserting through TRUST_PROXY=loopback and X-Forwarded-For`);
      clientAddress = OUTSIDER['X-Forwarded-For'];
      send = async (app, method, path, body) => {
        const res = await fetch(`${app.baseUrl}${path}`, {
          method,
          headers: { ...OUTSIDER, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      };
    } else {
      remote = opened;
      clientAddress = opened.clientAddress;
      send = (app, method, path, body) =>
        opened.request(method, app.baseUrl.replace('127.0.0.1', opened.hostAddress) + path, body);
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(databases.map((database) => database.drop()));
    databases = [];
    await remote?.close();
  });

  async function start(allowAnonymousWrites: boolean): Promise<SpawnedApp> {
    const database = await createTestDatabase();
    databases.push(database);
    const port = await freePort();
    const app = spawnApp(
      {
        ...PROTECTION_DEFAULTS,
        // as main.ts runs it: listening on every interface, JSON logs at info
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        TRUST_PROXY: remote ? '' : 'loopback',
        ALLOW_ANONYMOUS_WRITES: String(allowAnonymousWrites),
      },
      port,
    );
    apps.push(app);
    await waitForHttp(`${app.baseUrl}/health`, 30_000, app);
    return app;
  }

  /** The app's complete JSON lines (the last piece may still be being written). */
  const logLines = (app: SpawnedApp) =>
    app
      .output()
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLines = (app: SpawnedApp) =>
    logLines(app).filter((line) => line.msg === 'request completed');

  it('protected (the shipped default): its writes are 401, its reads work, loopback still writes', async () => {
    const app = await start(false);
    expect(logLines(app)).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: expect.stringMatching(/protected mode, REST writes are accepted from loopback only/),
      }),
    );
    const refused = await send(app, 'POST', '/products', { name: 'remote', price: 1 });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      statusCode: 401,
      message: expect.stringMatching(PROTECTED),
    });
    const read = await send(app, 'GET', '/products');
    expect(read).toEqual({ status: 200, body: [] });
    const events: unknown = await fetch(`${app.baseUrl}/events`).then((res) => res.json());
    expect(events).toEqual([]);
    const local = await fetch(`${app.baseUrl}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'local', price: 1 }),
    });
    expect(local.status).toBe(201);
    // the request line names the client protected mode judged
    const lines = await pollUntil(
      () => Promise.resolve(requestLines(app)),
      (found) => found.some((line) => line.status === 401) && found.some((l) => l.status === 201),
      { what: 'the request lines of the 401 and the 201' },
    );
    expect(lines.find((line) => line.status === 401)).toMatchObject({
      method: 'POST',
      url: '/products',
      client: clientAddress,
    });
    expect(lines.find((line) => line.status === 201)).toMatchObject({ client: '127.0.0.1' });
  });

  it('ALLOW_ANONYMOUS_WRITES=true: the same write is accepted, and startup warned about it', async () => {
    const app = await start(true);
    expect(logLines(app)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'Security',
        msg: 'ALLOW_ANONYMOUS_WRITES=true and no API_KEYS: anyone who can reach this port can write',
      }),
    );
    const created = await send(app, 'POST', '/products', { name: 'remote', price: 1 });
    expect(created).toMatchObject({ status: 201, body: { name: 'remote' } });
    expect((await send(app, 'GET', '/products')).body).toEqual([
      expect.objectContaining({ name: 'remote' }),
    ]);
  });
});
