import {
  ClientProxy,
  ClientProxyFactory,
  NatsRecordBuilder,
  Transport,
} from '@nestjs/microservices';
import { connect, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import { chromium } from 'playwright-core';
import { firstValueFrom } from 'rxjs';
import type { Response, Test } from 'supertest';
import { Script } from 'node:vm';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { TestNatsServer, untilAnswering } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';

const codec = JSONCodec();
/** Every setting this file touches, reset per app: test-app keeps process.env between apps. */
const SECURITY_DEFAULTS = {
  API_KEYS: '',
  CORS_ORIGINS: '',
  RATE_LIMIT_EXPENSIVE: '0',
  RATE_LIMIT_WINDOW_SECONDS: '60',
};

/** The rows a refused request must not touch, once no job is running (jobs write as they go). */
async function snapshot(t: TestApp): Promise<unknown[]> {
  await pollUntil(
    async () => (await t.http.get('/tasks')).body as { state: string }[],
    (jobs) => jobs.every((job) => job.state !== 'running'),
    { what: 'no job running' },
  );
  return Promise.all(
    ['products', 'items', 'item_history', 'jobs'].map((table) =>
      t.dataSource.query(`SELECT * FROM ${table} ORDER BY 1`),
    ),
  );
}

describe('API keys (API_KEYS=k1,k2)', () => {
  let upstream: FakeUpstream;
  let nats: TestNatsServer;
  let t: TestApp;
  let productId: number;
  let itemId: number;

  /** Every write route, as a request still missing its credentials. */
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
  const badCredentials: [string, Record<string, string>][] = [
    ['no key', {}],
    ['a wrong X-API-Key', { 'X-API-Key': 'k3' }],
    ['a key that only starts like a good one', { 'X-API-Key': 'k1k1' }],
    ['a wrong Bearer token', { Authorization: 'Bearer nope' }],
    ['a good key in the wrong scheme', { Authorization: 'Basic k1' }],
    ['an empty X-API-Key', { 'X-API-Key': '' }],
  ];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    nats = await TestNatsServer.start();
    t = await startTestApp({
      ...SECURITY_DEFAULTS,
      API_KEYS: 'k1,k2',
      NATS_URL: nats.url,
      EXTERNAL_API_URL: upstream.url,
      BODY_LIMIT: '2kb',
    });
    productId = (
      await t.http.post('/products').set('X-API-Key', 'k1').send({ name: 'kept', price: 1 })
    ).body.id;
    itemId = (
      await t.http
        .post('/items')
        .set('X-API-Key', 'k1')
        .send({ code: 'EUR', base: 'USD', rate: 0.9 })
    ).body.id;
    expect([productId, itemId]).toEqual([expect.any(Number), expect.any(Number)]);
  });
  afterAll(async () => {
    await t.close();
    await nats.stop();
    await upstream.close();
  });

  it.each(writes)(
    '%s without a key or with a wrong one: 401 with the error shape, and nothing changes',
    async (_label, request) => {
      const before = await snapshot(t);
      for (const [, headers] of badCredentials) {
        const res: Response = await request().set(headers);
        expectErrorShape(res, 401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(JSON.stringify(res.body)).not.toMatch(/k1|k2/);
      }
      expect(await snapshot(t)).toEqual(before);
      expect(upstream.stats.requests).toBe(0);
    },
  );

  it('the 401 says whether the key was missing or wrong', async () => {
    const missing = await t.http.post('/products').send({ name: 'x', price: 1 });
    expect(missing.body.message).toMatch(/API key is required.*X-API-Key.*Bearer/);
    const wrong = await t.http.delete(`/products/${productId}`).set('X-API-Key', 'k3');
    expect(wrong.body.message).toBe('the API key is not valid');
  });

  it('reads stay open without a key: lists, records, history, jobs, health, docs, metrics', async () => {
    for (const path of [
      '/products',
      `/products/${productId}`,
      '/items',
      `/items/${itemId}`,
      `/items/${itemId}/history`,
      '/tasks',
      '/health',
      '/health/ready',
      '/docs-json',
    ]) {
      const res = await t.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const docs = await t.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect((await t.http.get('/metrics')).status).not.toBe(401);
    expect((await t.http.head('/products')).status).toBe(200);
  });

  it('X-API-Key k2 or Authorization: Bearer k1 opens every write', async () => {
    const k2 = { 'X-API-Key': 'k2' };
    const k1 = { Authorization: 'Bearer k1' };
    const created = await t.http.post('/products').set(k2).send({ name: 'new', price: 5 });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await t.http.put(`/products/${id}`).set(k1).send({ name: 'n', price: 6 })).status).toBe(
      200,
    );
    expect((await t.http.patch(`/products/${id}`).set(k2).send({ price: 7 })).status).toBe(200);
    expect((await t.http.delete(`/products/${id}`).set(k1)).status).toBe(204);
    const fetched = await t.http
      .post('/products/fetch_external')
      .set(k1)
      .send({ external_ids: [1] });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ requested: 1, created: 1 });
    expect((await t.http.post('/products/refresh_all').set(k2)).status).toBe(202);
    expect((await t.http.post('/tasks/run').set(k1)).status).toBe(202);
    const item = await t.http.post('/items').set(k2).send({ code: 'AAA', base: 'BBB', rate: 150 });
    expect(item.status).toBe(201);
    expect((await t.http.patch(`/items/${item.body.id}`).set(k1).send({ rate: 151 })).status).toBe(
      200,
    );
    expect((await t.http.delete(`/items/${item.body.id}`).set(k2)).status).toBe(204);
  });

  it('a body over BODY_LIMIT is 413 with the error shape, key or not', async () => {
    const big = { name: 'a', price: 1, description: 'x'.repeat(4096) };
    expectErrorShape(await t.http.post('/products').set('X-API-Key', 'k1').send(big), 413);
    expectErrorShape(await t.http.post('/products').send(big), 413);
  });

  it('Swagger documents both ways to send a key, on writes only', async () => {
    const doc = (await t.http.get('/docs-json')).body;
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['api-key', 'bearer']),
    );
    expect(doc.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(doc.paths['/products'].post.security).toEqual([{ 'api-key': [] }, { bearer: [] }]);
    expect(doc.paths['/products'].post.responses['401']).toBeDefined();
    expect(doc.paths['/products'].get.security).toEqual([]);
    expect(doc.paths['/products/fetch_external'].post.responses['429']).toBeDefined();
  });

  describe('over NATS', () => {
    let plain: NatsConnection;
    let nest: ClientProxy;

    beforeAll(async () => {
      plain = await connect({ servers: nats.url });
      nest = ClientProxyFactory.create({
        transport: Transport.NATS,
        options: { servers: [nats.url] },
      });
      await nest.connect();
      await untilAnswering(plain, 'products.get', { id: productId });
    });
    afterAll(async () => {
      await nest.close();
      await plain.close();
    });

    const plainRequest = async (subject: string, body: unknown, key?: [string, string]) => {
      const h = natsHeaders();
      if (key) {
        h.set(key[0], key[1]);
      }
      const reply = await plain.request(subject, codec.encode(body), { timeout: 5000, headers: h });
      return codec.decode(reply.data) as Record<string, unknown>;
    };

    it('products.fetch_external without a key or with a wrong one: an error reply with statusCode 401, nothing written', async () => {
      const before = await snapshot(t);
      const requests = upstream.stats.requests;
      for (const key of [undefined, ['x-api-key', 'k3'], ['authorization', 'Bearer k3']] as const) {
        const reply = await plainRequest(
          'products.fetch_external',
          { external_ids: [2] },
          key ? [key[0], key[1]] : undefined,
        );
        expect(reply).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
        expect(reply.message).toEqual(expect.any(String));
      }
      await expect(
        firstValueFrom(nest.send('products.fetch_external', { external_ids: [2] })),
      ).rejects.toMatchObject({ statusCode: 401 });
      expect(await snapshot(t)).toEqual(before);
      expect(upstream.stats.requests).toBe(requests);
    });

    it('with the key in the message headers it answers: plain x-api-key, plain Bearer, and a Nest client', async () => {
      expect(
        await plainRequest('products.fetch_external', { external_ids: [3] }, ['x-api-key', 'k2']),
      ).toMatchObject({ requested: 1, created: 1 });
      expect(
        await plainRequest('products.fetch_external', [4], ['Authorization', 'Bearer k1']),
      ).toMatchObject({ requested: 1, created: 1 });
      const h = natsHeaders();
      h.set('x-api-key', 'k1');
      const record = new NatsRecordBuilder({ external_ids: [5] }).setHeaders(h).build();
      await expect(
        firstValueFrom(nest.send('products.fetch_external', record)),
      ).resolves.toMatchObject({ requested: 1, created: 1 });
    });

    it('read patterns stay open without a key', async () => {
      expect(await plainRequest('products.get', { id: productId })).toMatchObject({
        id: productId,
        name: 'kept',
      });
      expect(await plainRequest('items.get', { id: itemId })).toMatchObject({ code: 'EUR' });
      await expect(firstValueFrom(nest.send('products.list', { limit: 1 }))).resolves.toHaveLength(
        1,
      );
    });
  });
});

describe('Rate limits on the expensive endpoints (RATE_LIMIT_EXPENSIVE=2)', () => {
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      ...SECURITY_DEFAULTS,
      RATE_LIMIT_EXPENSIVE: '2',
      RATE_LIMIT_WINDOW_SECONDS: '600',
      EXTERNAL_API_URL: upstream.url,
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  const expensive: [string, () => Test, number][] = [
    [
      'POST /products/fetch_external',
      () => t.http.post('/products/fetch_external').send({ external_ids: [1] }),
      200,
    ],
    ['POST /products/refresh_all', () => t.http.post('/products/refresh_all'), 202],
    ['POST /tasks/run', () => t.http.post('/tasks/run'), 202],
  ];

  it.each(expensive)(
    '%s: 2 calls pass, the 3rd is 429 with Retry-After and the error shape',
    async (_label, call, ok) => {
      for (let i = 0; i < 2; i++) {
        const res = await call();
        expect(res.status).toBe(ok);
        expect(res.headers['x-ratelimit-remaining']).toBe(String(1 - i));
      }
      const before = await snapshot(t);
      const limited = await call();
      expectErrorShape(limited, 429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.body.message).toMatch(/rate limit/);
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it('other endpoints are not limited', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await t.http.get('/products')).status).toBe(200);
      expect((await t.http.post('/products').send({ name: `p${i}`, price: i })).status).toBe(201);
    }
    expect((await t.http.get('/products')).headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('Helmet headers and CORS (CORS_ORIGINS=https://app.example.com)', () => {
  let t: TestApp;
  const allowed = 'https://app.example.com';

  beforeAll(async () => {
    t = await startTestApp({ ...SECURITY_DEFAULTS, CORS_ORIGINS: allowed });
  });
  afterAll(async () => {
    await t.close();
  });

  it('every answer carries helmet headers, with a CSP that keeps scripts, styles and sockets same-origin', async () => {
    for (const res of [await t.http.get('/products'), await t.http.get('/products/999')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('an allowed origin gets CORS headers, exposed headers included; another origin gets none', async () => {
    const ok = await t.http.get('/products').set('Origin', allowed);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-expose-headers']).toEqual(
      expect.stringContaining('X-Total-Count'),
    );
    for (const name of ['X-Request-Id', 'Retry-After']) {
      expect(ok.headers['access-control-expose-headers']).toContain(name);
    }
    const preflight = await t.http
      .options('/products')
      .set('Origin', allowed)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-api-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');

    const other = await t.http.get('/products').set('Origin', 'https://evil.example.com');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("Swagger UI's init script, which embeds the whole document, is valid JavaScript", async () => {
    // @nestjs/swagger 11 splices the document in with String.replace: a "$`" or "$'" in any
    // description corrupts the script and leaves /docs blank (nestjs/swagger#4119)
    const init = await t.http.get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(() => new Script(init.text)).not.toThrow();
  });

  it('Swagger UI at /docs renders in Chromium without a CSP violation, and the page may open a same-origin WebSocket', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      // browser-side code as strings: the test project compiles without the DOM library
      await page.addInitScript(
        `window.cspViolations = [];
         document.addEventListener('securitypolicyviolation', (e) =>
           window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
      );
      const violations = () => page.evaluate<string[]>('window.cspViolations');
      const res = await page.goto(`${t.baseUrl}/docs`);
      expect(res?.status()).toBe(200);
      await page.waitForSelector('.opblock', { timeout: 15_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
      await expect(page.locator('.btn.authorize').count()).resolves.toBe(1);
      expect(await violations()).toEqual([]);

      const welcome = await page.evaluate<string>(
        `new Promise((resolve) => {
           const ws = new WebSocket('ws://' + location.host + '/ws/items');
           ws.onmessage = (e) => { resolve(JSON.parse(e.data).event); ws.close(); };
           ws.onerror = () => resolve('error');
         })`,
      );
      expect(welcome).toBe('welcome');
      expect(await violations()).toEqual([]);

      // the policy is enforced: a socket to another origin is refused
      const port = new URL(t.baseUrl).port;
      await page.evaluate(`void new WebSocket('ws://localhost:${port}/ws/items')`);
      const refused = await pollUntil(violations, (v) => v.length > 0, {
        deadlineMs: 5000,
        what: 'a CSP violation for a cross-origin socket',
      });
      expect(refused[0]).toMatch(/^connect-src ws:\/\/localhost/);
    } finally {
      await browser.close();
    }
  });
});

describe('CORS off by default', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...SECURITY_DEFAULTS });
  });
  afterAll(async () => {
    await t.close();
  });

  it('with CORS_ORIGINS empty no origin gets CORS headers, and writes need no key', async () => {
    const res = await t.http.get('/products').set('Origin', 'https://app.example.com');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect((await t.http.post('/products').send({ name: 'open', price: 1 })).status).toBe(201);
  });
});
