import { connect, JSONCodec } from 'nats';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

type Line = Record<string, unknown>;

/** Every line of the app's output; each must be one JSON object. */
function jsonLines(output: string): Line[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

const API_KEY = 'secret123';
const WRONG_BEARER = 'secret456';
const QUERY_KEY = 'secret789';

describe('Logs of the built service', () => {
  let upstream: FakeUpstream;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(async () => {
    await upstream.close();
    await Promise.all(databases.map((d) => d.drop()));
  });

  /** The built app on a fresh database of the engine DATABASE_URL names. */
  const start = async (env: Record<string, string>): Promise<SpawnedApp> => {
    const database = await createTestDatabase();
    databases.push(database);
    const app = spawnApp(
      {
        DATABASE_URL: database.url,
        EXTERNAL_API_URL: upstream.url,
        EXTERNAL_RETRIES: '0',
        API_KEYS: API_KEY,
        ...env,
      },
      await freePort(),
    );
    await waitForHttp(`${app.baseUrl}/health`, 20_000, app);
    return app;
  };
  const send = (app: SpawnedApp, path: string, init: RequestInit = {}) =>
    fetch(`${app.baseUrl}${path}`, init);
  const postJson = (app: SpawnedApp, path: string, body: unknown, headers = {}) =>
    send(app, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, ...headers },
      body: JSON.stringify(body),
    });

  describe('with LOG_LEVEL=info', () => {
    let app: SpawnedApp;
    const requestLines = (id: string) =>
      jsonLines(app.output()).filter((l) => l.request_id === id && l.msg === 'request completed');
    /** Waits for the request's line (written when the response has been sent). */
    const lineOf = async (id: string) =>
      (
        await pollUntil(
          async () => requestLines(id),
          (lines) => lines.length > 0,
          { deadlineMs: 10_000, what: `the log line of request ${id}` },
        )
      )[0];

    beforeAll(async () => {
      app = await start({ LOG_LEVEL: 'info' });
    });
    afterAll(async () => {
      await app.stop();
    });

    it('writes every line as JSON, startup lines included', () => {
      const lines = jsonLines(app.output());
      expect(lines.length).toBeGreaterThan(0);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'info', context: 'Bootstrap', pid: app.child.pid }),
      );
      for (const line of lines) {
        expect(typeof line.time).toBe('string');
        expect(typeof line.msg).toBe('string');
      }
    });

    it('writes one line per request with its request id, method, url, status and duration', async () => {
      const created = await postJson(
        app,
        '/products',
        { name: 'logged', price: 2 },
        {
          'x-request-id': 'log-create-1',
        },
      );
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      await send(app, `/products/${id}`, { headers: { 'x-request-id': 'log-read-1' } });
      await send(app, '/products/999999', { headers: { 'x-request-id': 'log-missing-1' } });
      await send(app, '/no/such/path', { headers: { 'x-request-id': 'log-unknown-1' } });
      // refused by the body parser, before any route: still one line
      await send(app, '/products', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': API_KEY,
          'x-request-id': 'log-malformed-1',
        },
        body: '{"name": ',
      });
      // a generated id, when the caller sent none
      const anonymous = await send(app, '/health');
      const generated = anonymous.headers.get('x-request-id') ?? '';

      const expected: [string, string, string, number, string][] = [
        ['log-create-1', 'POST', '/products', 201, 'ok'],
        ['log-read-1', 'GET', `/products/${id}`, 200, 'ok'],
        ['log-missing-1', 'GET', '/products/999999', 404, 'client_error'],
        ['log-unknown-1', 'GET', '/no/such/path', 404, 'client_error'],
        ['log-malformed-1', 'POST', '/products', 400, 'client_error'],
        [generated, 'GET', '/health', 200, 'ok'],
      ];
      for (const [requestId, method, url, status, outcome] of expected) {
        const line = await lineOf(requestId);
        expect(line).toMatchObject({ level: 'info', method, url, status, outcome });
        expect(typeof line.duration_ms).toBe('number');
        expect(line.duration_ms).toBeGreaterThanOrEqual(0);
        expect(requestLines(requestId)).toHaveLength(1);
      }
    });

    it('never writes an API key, a bearer token or a key in a query string', async () => {
      const accepted = await postJson(
        app,
        '/products',
        { name: 'keyed', price: 1 },
        { 'x-request-id': 'log-key-ok', authorization: `Bearer ${API_KEY}` },
      );
      expect(accepted.status).toBe(201);
      const refused = await send(app, '/products', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${WRONG_BEARER}`,
          cookie: `session=${WRONG_BEARER}`,
          'x-request-id': 'log-key-refused',
        },
        body: JSON.stringify({ name: 'refused', price: 1 }),
      });
      expect(refused.status).toBe(401);
      await send(app, `/products?api_key=${QUERY_KEY}&limit=5`, {
        headers: { 'x-request-id': 'log-key-query', 'x-api-key': WRONG_BEARER },
      });

      expect(await lineOf('log-key-refused')).toMatchObject({ status: 401 });
      expect(await lineOf('log-key-query')).toMatchObject({
        url: '/products?api_key=[redacted]&limit=5',
      });
      await lineOf('log-key-ok');
      const output = app.output();
      expect(output).not.toContain(API_KEY);
      expect(output).not.toContain(WRONG_BEARER);
      expect(output).not.toContain(QUERY_KEY);
    });

    it('writes one line per outbound attempt, carrying the id of the request that caused it', async () => {
      upstream.set({ faults: new Map([['42', 503]]) });
      const res = await postJson(
        app,
        '/products/fetch_external',
        { external_ids: [1, 42] },
        { 'x-request-id': 'log-fetch-1' },
      );
      expect(res.status).toBe(200);
      const calls = await pollUntil(
        async () =>
          jsonLines(app.output()).filter(
            (l) => l.msg === 'upstream call' && l.request_id === 'log-fetch-1',
          ),
        (lines) => lines.length === 2,
        { deadlineMs: 10_000, what: 'two upstream call lines' },
      );
      const byUrl = (url: string) => calls.find((l) => l.url === url);
      expect(byUrl(`${upstream.url}/products/1`)).toMatchObject({
        level: 'info',
        context: 'Upstream',
        method: 'GET',
        status: 200,
        attempt: 1,
        outcome: 'ok',
      });
      expect(byUrl(`${upstream.url}/products/42`)).toMatchObject({
        level: 'warn',
        method: 'GET',
        status: 503,
        attempt: 1,
        outcome: 'server_error',
      });
      for (const call of calls) {
        expect(typeof call.duration_ms).toBe('number');
      }
      expect(await lineOf('log-fetch-1')).toMatchObject({
        url: '/products/fetch_external',
        status: 200,
      });
    });
  });

  it('writes a NATS outage as warnings, never errors: the service is built to run through one', async () => {
    const nats = await TestNatsServer.start();
    const app = await start({ LOG_LEVEL: 'info', NATS_URL: nats.url });
    try {
      // a request answered over NATS: the transport (not only the events connection) is up
      const sibling = await connect({ servers: nats.url });
      await pollUntil(
        () =>
          sibling
            .request('products.list', JSONCodec().encode({}), { timeout: 500 })
            .then(() => true)
            .catch(() => false),
        (answered) => answered,
        { deadlineMs: 10_000, what: 'an answer over NATS' },
      );
      await sibling.close();

      await nats.stop();
      const outage = await pollUntil(
        async () => jsonLines(app.output()).filter((l) => /disconnect/i.test(String(l.msg))),
        (lines) => lines.length >= 2,
        { deadlineMs: 10_000, what: 'both NATS clients seeing the outage' },
      );
      expect(outage.map((l) => l.level)).toEqual(outage.map(() => 'warn'));
      expect(outage.map((l) => l.msg)).toContain(
        `NATS transport disconnected from 127.0.0.1:${nats.port}; reconnecting`,
      );
      // REST goes on meanwhile
      expect((await send(app, '/products')).status).toBe(200);

      await nats.start();
      await pollUntil(
        async () => jsonLines(app.output()).filter((l) => l.msg === 'reconnected to NATS'),
        (lines) => lines.length > 0,
        { deadlineMs: 15_000, what: 'the reconnect logged' },
      );
      expect(jsonLines(app.output()).filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await app.stop();
      await nats.stop();
    }
  });

  it('writes nothing with LOG_LEVEL=silent, and no request lines with LOG_LEVEL=warn', async () => {
    for (const level of ['silent', 'warn']) {
      const app = await start({ LOG_LEVEL: level });
      try {
        expect(
          (await send(app, '/products', { headers: { 'x-request-id': 'quiet-1' } })).status,
        ).toBe(200);
        expect((await send(app, '/products/999999')).status).toBe(404);
      } finally {
        await app.stop();
      }
      if (level === 'silent') {
        expect(app.output()).toBe('');
      } else {
        const lines = jsonLines(app.output());
        expect(lines.filter((l) => l.msg === 'request completed')).toEqual([]);
        expect(lines.filter((l) => !['warn', 'error', 'fatal'].includes(String(l.level)))).toEqual(
          [],
        );
      }
    }
  });

  it('writes human-readable lines with NODE_ENV=development', async () => {
    const app = await start({ LOG_LEVEL: 'info', NODE_ENV: 'development' });
    try {
      await send(app, '/products', { headers: { 'x-request-id': 'pretty-1' } });
      const line = await pollUntil(
        async () =>
          app
            .output()
            .split('\n')
            .find((l) => l.includes('pretty-1')),
        (found) => found !== undefined,
        { deadlineMs: 10_000, what: 'the pretty request line' },
      );
      expect(line).toContain('INFO');
      expect(line).toContain('request completed');
      expect(() => JSON.parse(line ?? '')).toThrow();
    } finally {
      await app.stop();
    }
  });
});
