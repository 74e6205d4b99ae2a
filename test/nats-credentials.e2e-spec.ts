import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions, credsAuthenticator, JSONCodec, NatsConnection } from 'nats';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { makeCertificates, makeOperator, TestCertificates } from './helpers/nats-credentials';
import { TestNatsOptions, TestNatsServer, untilAnswering } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';

/** Every NATS credential setting, empty: each test sets only its own (process.env is shared). */
const NO_CREDENTIALS = {
  NATS_USER: '',
  NATS_PASSWORD: '',
  NATS_TOKEN: '',
  NATS_CREDS_FILE: '',
  NATS_TLS_CA_FILE: '',
  NATS_TLS_CERT_FILE: '',
  NATS_TLS_KEY_FILE: '',
};

interface Running {
  nats: TestNatsServer;
  t: TestApp;
  /** A client of the test's own, logged in as the app should be. */
  client: NatsConnection;
}

const running: Running[] = [];
let dir: string;

async function start(
  server: TestNatsOptions,
  env: Record<string, string>,
  client: Omit<ConnectionOptions, 'servers'>,
): Promise<Running> {
  const nats = await TestNatsServer.start(server);
  const t = await startTestApp({ ...NO_CREDENTIALS, NATS_URL: nats.url, ...env });
  const connection = await connect({ servers: nats.url, ...client });
  const run = { nats, t, client: connection };
  running.push(run);
  return run;
}

/**
 * Both of the app's connections got in: its own (readiness up; a change reaches a subscriber)
 * and the microservice's (it answers a request).
 */
async function expectConnectedAndServing({ t, client }: Running): Promise<void> {
  await pollUntil(
    async () => (await t.http.get('/health/ready').expect(200)).body.info.nats,
    (nats) => nats.status === 'up',
    { what: 'NATS up in readiness' },
  );
  expect((await t.http.get('/health/ready')).body.info.nats).toMatchObject({
    status: 'up',
    state: 'connected',
  });
  const seen: string[] = [];
  const sub = client.subscribe('products.updates', {
    callback: (_, msg) => seen.push(msg.json<{ event: string }>().event),
  });
  await client.flush();
  await t.http.post('/products').send({ name: 'through auth', price: 1 }).expect(201);
  await pollUntil(
    async () => seen,
    (events) => events.includes('product.created'),
    { what: 'product.created on NATS' },
  );
  sub.unsubscribe();
  await untilAnswering(client, 'products.list', {});
  const reply = await client.request('products.list', JSONCodec().encode({}), { timeout: 2000 });
  expect(
    JSONCodec<{ name: string }[]>()
      .decode(reply.data)
      .map((p) => p.name),
  ).toContain('through auth');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nats-credentials-'));
});
afterEach(async () => {
  for (const { nats, t, client } of running.splice(0)) {
    await client.close();
    await t.close();
    await nats.dispose();
  }
});
afterAll(() => {
  Object.assign(process.env, NO_CREDENTIALS);
  rmSync(dir, { recursive: true, force: true });
});

describe('NATS credentials, for every connection of the service', () => {
  it('user and password: connects, publishes and answers requests', async () => {
    const run = await start(
      { auth: { user: 'app', password: 'pa55-word' } },
      { NATS_USER: 'app', NATS_PASSWORD: 'pa55-word' },
      { user: 'app', pass: 'pa55-word' },
    );
    await expectConnectedAndServing(run);
  });

  it('a wrong password: readiness 200 with NATS down, and the service serves REST meanwhile', async () => {
    const run = await start(
      { auth: { user: 'app', password: 'right' } },
      { NATS_USER: 'app', NATS_PASSWORD: 'wrong' },
      { user: 'app', pass: 'right' },
    );
    // the server refused several logins: the app's attempts went on past the first ones
    await pollUntil(
      async () => run.nats.output().split('authentication error').length - 1,
      (refused) => refused >= 4,
      { what: 'the server refusing the logins' },
    );
    const ready = await run.t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, nats: { status: 'down', state: 'connecting' } },
    });
    expect(run.t.app.get(AppNats).state).toBe('connecting');
    await run.t.http.post('/products').send({ name: 'served anyway', price: 1 }).expect(201);
    await run.t.http.get('/products').expect(200);
  });

  it('a token: connects, publishes and answers requests', async () => {
    const run = await start(
      { auth: { token: 't0ken-123' } },
      { NATS_TOKEN: 't0ken-123' },
      { token: 't0ken-123' },
    );
    await expectConnectedAndServing(run);
  });

  it('a creds file (operator mode, JWT and NKey): connects, publishes and answers requests', async () => {
    const operator = makeOperator(dir);
    const run = await start(
      { auth: operator.server },
      { NATS_CREDS_FILE: operator.credsFile },
      { authenticator: credsAuthenticator(readFileSync(operator.credsFile)) },
    );
    await expectConnectedAndServing(run);
  });

  describe('TLS', () => {
    let certs: TestCertificates;
    beforeAll(() => {
      certs = makeCertificates(dir);
    });

    it('with the CA and a client certificate the server verifies: connects, publishes and answers requests', async () => {
      const run = await start(
        { tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, verify: true } },
        {
          NATS_TLS_CA_FILE: certs.ca,
          NATS_TLS_CERT_FILE: certs.clientCert,
          NATS_TLS_KEY_FILE: certs.clientKey,
        },
        { tls: { caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey } },
      );
      await expectConnectedAndServing(run);
    });

    it('with the CA only, to a server that does not verify clients, and a user on top', async () => {
      const run = await start(
        {
          tls: { cert: certs.serverCert, key: certs.serverKey },
          auth: { user: 'app', password: 'over-tls' },
        },
        { NATS_TLS_CA_FILE: certs.ca, NATS_USER: 'app', NATS_PASSWORD: 'over-tls' },
        { tls: { caFile: certs.ca }, user: 'app', pass: 'over-tls' },
      );
      await expectConnectedAndServing(run);
    });
  });
});

describe('Readiness tells the truth about NATS, and stays 200', () => {
  it('down before NATS was ever reachable, up once connected, down after the server stops, up after it returns', async () => {
    const nats = await TestNatsServer.start();
    await nats.stop();
    const t = await startTestApp({ ...NO_CREDENTIALS, NATS_URL: nats.url });
    const natsEntry = async () => {
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(200);
      return ready.body.info.nats as { status: string; state: string };
    };
    try {
      expect(await natsEntry()).toMatchObject({ status: 'down', state: 'connecting' });

      await nats.start();
      await pollUntil(natsEntry, (n) => n.status === 'up', { what: 'up once connected' });
      expect(await natsEntry()).toMatchObject({ status: 'up', state: 'connected' });

      await nats.stop();
      await pollUntil(natsEntry, (n) => n.status === 'down', { what: 'down after the stop' });
      expect(await natsEntry()).toMatchObject({ status: 'down', state: 'disconnected' });
      await t.http.get('/products').expect(200);

      await nats.start();
      await pollUntil(natsEntry, (n) => n.status === 'up', { what: 'up after the restart' });
    } finally {
      await t.close();
      await nats.dispose();
    }
  });

  it('NATS off (NATS_URL empty): down with state "off", readiness 200', async () => {
    const t = await startTestApp({ ...NO_CREDENTIALS, NATS_URL: '' });
    try {
      const ready = await t.http.get('/health/ready').expect(200);
      expect(ready.body.info.nats).toEqual({ status: 'down', state: 'off', jetstream: 'unknown' });
      expect(ready.body.status).toBe('ok');
    } finally {
      await t.close();
    }
  });
});
