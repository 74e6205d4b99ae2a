import { pollUntil } from './helpers/poll';
import { TcpProxy } from './helpers/tcp-proxy';
import { expectDatabaseUnavailable } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, POSTGRES_BASE, TestDatabase } from './helpers/test-database';

/**
 * A database that can go away: PostgreSQL behind a TCP forwarder the test cuts and restores.
 * A `.pg` spec: it runs in the PostgreSQL pass only (an SQLite file cannot become unreachable).
 */

describe('Readiness while the database is unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_BASE);
    const target = new URL(database.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const through = new URL(database.url);
    through.port = String(proxy.port);
    t = await startTestApp({}, { url: through.toString(), drop: () => Promise.resolve() });
  });
  afterAll(async () => {
    proxy.restore();
    await t?.close();
    await proxy.close();
    await database.drop();
  });

  it('answers 200 with the database up', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.info.database).toEqual({ status: 'up' });
  });

  it('answers 503 with the database reported down while it is unreachable; liveness stays 200', async () => {
    proxy.cut();
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      message: 'not ready: database down',
      path: '/health/ready',
      checks: { database: { status: 'down' }, nats: { status: 'down', state: 'off' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
    await t.http.get('/health').expect(200);
    // a request that needs the database: 503 in the error shape, with a hint to retry
    expectDatabaseUnavailable(await t.http.get('/products'), '/products');
    const write = await t.http.post('/products').send({ name: 'during the outage', price: 1 });
    expect(write.status).toBe(503);
  });

  it('is ready again once the database is back, without a restart', async () => {
    proxy.restore();
    await pollUntil(
      async () => (await t.http.get('/health/ready')).status,
      (status) => status === 200,
      { what: 'readiness 200 again', deadlineMs: 15_000, everyMs: 200 },
    );
    await t.http.post('/products').send({ name: 'after the outage', price: 1 }).expect(201);
    const names = (await t.http.get('/products').expect(200)).body.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(['after the outage']);
  });
});
