import { spawn } from 'node:child_process';
import { connect, JSONCodec, NatsConnection, Subscription } from 'nats';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { DomainEvents } from '../src/events/domain-events.service';
import { OutboxRelay } from '../src/events/outbox-relay';
import { startFakeUpstream, FakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { ROOT } from './helpers/spawn-app';
import { createTestDatabase } from './helpers/test-database';
import { TestWsClient } from './helpers/ws-client';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';

interface Envelope {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  ts: string;
  origin: string;
}

/** Collects every envelope on the two subjects, as a plain (non-Nest) NATS client sees them. */
async function listen(url: string) {
  const nc: NatsConnection = await connect({ servers: url });
  const received: { subject: string; envelope: Envelope }[] = [];
  const subs: Subscription[] = ['products.updates', 'items.updates'].map((subject) =>
    nc.subscribe(subject, {
      callback: (_err, msg) =>
        received.push({ subject: msg.subject, envelope: JSON.parse(msg.string()) as Envelope }),
    }),
  );
  await nc.flush();
  return { nc, received, close: async () => (subs.forEach((s) => s.unsubscribe()), nc.close()) };
}

describe('Domain events on NATS', () => {
  let nats: TestNatsServer;
  let upstream: FakeUpstream;
  let t: TestApp;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    upstream = await startFakeUpstream();
    t = await startTestApp({
      NATS_URL: nats.url,
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
    });
    await pollUntil(
      async () => t.app.get(AppNats).state,
      (s) => s === 'connected',
      { what: 'NATS connected' },
    );
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
    await nats.stop();
  });

  it('delivers one plain envelope per committed change, in commit order, on the right subject, to NATS and WebSocket alike', async () => {
    const sub = await listen(nats.url);
    const ws = await TestWsClient.connect(t.baseUrl);
    try {
      const product = (await t.http.post('/products').send({ name: 'A', price: 1 })).body;
      await t.http.patch(`/products/${product.id}`).send({ price: 2 }).expect(200);
      await t.http.delete(`/products/${product.id}`).expect(204);
      await t.http.post('/products').send({ name: 'bad' }).expect(400); // no change, no event
      const item = (await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 })).body;
      await t.http.patch(`/items/${item.id}`).send({ rate: 0.95 }).expect(200);
      upstream.set({ fiatRates: { GBP: 0.8 } });
      const job = (await t.http.post('/tasks/run')).body;
      await pollUntil(
        async () => (await t.http.get(`/tasks/${job.job_id}`)).body.state,
        (s) => s !== 'running',
      );

      const names = await pollUntil(
        async () => sub.received.map((r) => `${r.subject} ${r.envelope.event}`),
        (list) => list.length >= 8,
        { what: '8 events on NATS' },
      );
      expect(names).toEqual([
        'products.updates product.created',
        'products.updates product.updated',
        'products.updates product.deleted',
        'items.updates item.created',
        'items.updates item.updated',
        'items.updates job.started',
        'items.updates rates.synced',
        'items.updates job.finished',
      ]);
      const [created] = sub.received;
      expect(created.envelope).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        seq: 1,
        event: 'product.created',
        payload: expect.objectContaining({ id: product.id, name: 'A', price: 1 }),
        ts: expect.any(String),
        origin: t.app.get(DomainEvents).origin,
      });
      expect(Object.keys(created.envelope)).not.toContain('data');
      const deleted = sub.received[2].envelope;
      expect(deleted.payload).toMatchObject({ id: product.id, price: 2 });
      const synced = sub.received.find((r) => r.envelope.event === 'rates.synced')?.envelope;
      expect(synced?.payload).toMatchObject({ job_id: job.job_id, source: 'fiat' });
      expect(new Set(sub.received.map((r) => r.envelope.id)).size).toBe(sub.received.length);
      // the WebSocket client got the very same envelopes, in the same order
      await ws.next((f) => f.event === 'job.finished');
      expect(ws.frames.slice(1)).toEqual(sub.received.map((r) => r.envelope));
    } finally {
      ws.close();
      await sub.close();
    }
  });

  it('loses nothing while NATS is down: 100 changes made meanwhile arrive in order, once each, after it returns', async () => {
    const relay = t.app.get(OutboxRelay);
    await pollUntil(
      () => relay.backlog(),
      (n) => n === 0,
      { what: 'empty outbox' },
    );
    await nats.stop();
    await pollUntil(
      async () => t.app.get(AppNats).state,
      (s) => s === 'disconnected',
      { what: 'NATS seen down' },
    );

    const names: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await t.http.post('/products').send({ name: `while-down-${i}`, price: i });
      expect(res.status).toBe(201);
      names.push(res.body.name);
    }
    expect(await relay.backlog()).toBe(100);

    await nats.start();
    const sub = await listen(nats.url);
    try {
      await pollUntil(
        async () => t.app.get(AppNats).state,
        (s) => s === 'connected',
        { what: 'NATS reconnected' },
      );
      const got = await pollUntil(
        async () => sub.received.filter((r) => r.envelope.event === 'product.created'),
        (list) => list.length >= 100,
        { what: '100 events after the outage' },
      );
      expect(got.map((r) => r.envelope.payload.name)).toEqual(names);
      expect(new Set(got.map((r) => r.envelope.id)).size).toBe(100);
      // marked sent right after NATS confirmed them (the UPDATE may land just after delivery)
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        { what: 'outbox marked sent' },
      );
    } finally {
      await sub.close();
    }
  });
});

describe('Starting with NATS unreachable', () => {
  it('serves REST and WebSocket, reports NATS down in /health/ready, then up once the server is up', async () => {
    const nats = await TestNatsServer.start();
    await nats.stop();
    const t = await startTestApp({ NATS_URL: nats.url });
    try {
      const ws = await TestWsClient.connect(t.baseUrl);
      expect((await t.http.post('/products').send({ name: 'offline', price: 1 })).status).toBe(201);
      await ws.next((f) => f.event === 'product.created');
      ws.close();
      const down = await t.http.get('/health/ready');
      expect(down.status).toBe(200);
      expect(down.body.info).toMatchObject({
        database: { status: 'up' },
        nats: { status: 'down', state: 'connecting' },
      });
      await nats.start();
      await pollUntil(
        async () => (await t.http.get('/health/ready')).body.info.nats.state as string,
        (s) => s === 'connected',
        { what: 'NATS reported up' },
      );
      await pollUntil(
        () => t.app.get(OutboxRelay).backlog(),
        (n) => n === 0,
        { what: 'outbox drained' },
      );
      // request-reply too: the transport kept trying and got there
      const sibling = await connect({ servers: nats.url });
      try {
        const reply = await pollUntil(
          () =>
            sibling
              .request('products.list', JSONCodec().encode({}), { timeout: 500 })
              .then((msg) => JSONCodec<{ name: string }[]>().decode(msg.data))
              .catch(() => undefined),
          (answer) => answer !== undefined,
          { what: 'an answer over NATS' },
        );
        expect(reply?.map((p) => p.name)).toEqual(['offline']);
      } finally {
        await sibling.close();
      }
    } finally {
      await t.close();
      await nats.stop();
    }
  });

  it('closed before NATS was ever reachable, leaves nothing dialling it: its process can end', async () => {
    const nats = await TestNatsServer.start();
    await nats.stop();
    const database = await createTestDatabase();
    // the app as a library would run it (no process.exit at the end): listen, close, nothing else
    const script = `
      const { NestFactory } = require('@nestjs/core');
      const { AppModule } = require('./dist/src/app.module');
      const { PrototypedExpressAdapter } = require('./dist/src/common/express-adapter');
      const { configureApp } = require('./dist/src/configure-app');
      const { startMessaging } = require('./dist/src/events/start-messaging');
      (async () => {
        const app = await NestFactory.create(
          await AppModule.register(),
          new PrototypedExpressAdapter(),
          { bodyParser: false, logger: ['error'] },
        );
        configureApp(app);
        startMessaging(app);
        await app.listen(0, '127.0.0.1');
        await app.close();
        console.log('closed');
      })();`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, NATS_URL: nats.url, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), 15_000);
    });
    try {
      const ended = await Promise.race([exited, deadline]);
      expect(output).toContain('closed');
      expect(ended).toBe(0);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
      await database.drop();
    }
  });
});

describe('With NATS off (NATS_URL empty)', () => {
  it('retires outbox rows instead of keeping them forever; WebSocket clients still get every event', async () => {
    const t = await startTestApp({ NATS_URL: '' });
    try {
      const ws = await TestWsClient.connect(t.baseUrl);
      await t.http.post('/products').send({ name: 'no nats', price: 1 }).expect(201);
      await ws.next((f) => f.event === 'product.created');
      ws.close();
      await pollUntil(
        () => t.app.get(OutboxRelay).backlog(),
        (n) => n === 0,
        { what: 'outbox retired' },
      );
      expect((await t.http.get('/health/ready')).body.info.nats.state).toBe('off');
    } finally {
      await t.close();
    }
  });
});
