import {
  AckPolicy,
  connect,
  createInbox,
  DeliverPolicy,
  headers,
  JsMsg,
  nanos,
  NatsConnection,
  RetentionPolicy,
  StorageType,
  Subscription,
} from 'nats';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { OutboxRelay } from '../src/events/outbox-relay';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
}

const STREAM = 'CATALOG_EVENTS';
const SUBJECTS = ['products.updates', 'items.updates'];

/** Every envelope on the two subjects, as a plain core NATS subscriber gets them. */
async function coreListener(url: string) {
  const nc = await connect({ servers: url });
  const received: Envelope[] = [];
  const subs: Subscription[] = SUBJECTS.map((subject) =>
    nc.subscribe(subject, {
      callback: (_err, msg) => received.push(msg.json<Envelope>()),
    }),
  );
  await nc.flush();
  return { received, close: async () => (subs.forEach((s) => s.unsubscribe()), nc.close()) };
}

/** Every message the stream holds, read one by one by its stream sequence. */
export async function readStream(
  nc: NatsConnection,
  name = STREAM,
): Promise<{ msgId: string | undefined; envelope: Envelope }[]> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(name);
  const out = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(name, { seq });
    out.push({ msgId: msg.header?.get('Nats-Msg-Id'), envelope: msg.json<Envelope>() });
  }
  return out;
}

/** Pulls what a durable consumer has for it, acking each message; stops when none is left. */
async function pullAll(nc: NatsConnection, durable: string): Promise<Envelope[]> {
  const consumer = await nc.jetstream().consumers.get(STREAM, durable);
  const got: Envelope[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1500 });
    let n = 0;
    for await (const msg of batch as AsyncIterable<JsMsg>) {
      got.push(msg.json<Envelope>());
      await msg.ackAck();
      n++;
    }
    if (n === 0) {
      return got;
    }
  }
}

const gapFree = (seqs: number[]) => seqs.every((seq, i) => i === 0 || seq === seqs[i - 1] + 1);

describe('Events over NATS JetStream', () => {
  let nats: TestNatsServer;
  let upstream: FakeUpstream;
  let t: TestApp;
  let admin: NatsConnection;

  beforeAll(async () => {
    nats = await TestNatsServer.start({ jetstream: true });
    admin = await connect({ servers: nats.url });
    // left by an older version with other limits: the service brings it to its own (its
    // storage, which a stream cannot change, stays the operator's choice)
    const jsm = await admin.jetstreamManager();
    await jsm.streams.add({
      name: STREAM,
      subjects: ['products.updates'],
      storage: StorageType.Memory,
      max_msgs: 10,
      max_age: nanos(3_600_000),
    });
    upstream = await startFakeUpstream();
    t = await startTestApp({
      NATS_URL: nats.url,
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      EVENT_RETENTION_HOURS: '48',
      EVENT_RETENTION_MAX: '50000',
    });
    await pollUntil(
      async () => t.app.get(AppNats).jetstream,
      (s) => s === 'available',
      { what: 'JetStream available' },
    );
  });
  afterAll(async () => {
    await t.close();
    await admin.close();
    await upstream.close();
    await nats.dispose();
  });

  it('brings an existing stream to its subjects and the event store retention as limits', async () => {
    const { config } = await (await admin.jetstreamManager()).streams.info(STREAM);
    expect(config).toMatchObject({
      subjects: SUBJECTS,
      retention: RetentionPolicy.Limits,
      max_msgs: 50000,
      max_age: nanos(48 * 3_600_000),
      duplicate_window: nanos(10 * 60_000),
    });
  });

  it('/health/ready says JetStream is available', async () => {
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.info.nats).toEqual({
      status: 'up',
      state: 'connected',
      jetstream: 'available',
    });
  });

  it('products, items, a rates sync and its job: one gap-free seq, the same envelopes on core NATS, JetStream and WebSocket, each stored with Nats-Msg-Id = its id', async () => {
    const core = await coreListener(nats.url);
    const ws = await TestWsClient.connect(t.baseUrl);
    try {
      const product = (await t.http.post('/products').send({ name: 'A', price: 1 })).body;
      await t.http.patch(`/products/${product.id}`).send({ price: 2 }).expect(200);
      await t.http.delete(`/products/${product.id}`).expect(204);
      const item = (await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 })).body;
      await t.http.patch(`/items/${item.id}`).send({ rate: 0.95 }).expect(200);
      upstream.set({ fiatRates: { GBP: 0.8, JPY: 150 } });
      const job = (await t.http.post('/tasks/run').expect(202)).body;
      await pollUntil(
        async () => (await t.http.get(`/tasks/${job.job_id}`)).body.state,
        (s) => s !== 'running',
        { what: 'the sync to end' },
      );
      await ws.next((f) => f.event === 'job.finished');
      const relay = t.app.get(OutboxRelay);
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        { what: 'outbox published' },
      );

      const stored = await readStream(admin);
      const wsEvents = ws.frames.slice(1) as unknown as Envelope[];
      expect(wsEvents.map((e) => e.event)).toEqual([
        'product.created',
        'product.updated',
        'product.deleted',
        'item.created',
        'item.updated',
        'job.started',
        'rates.synced',
        'job.finished',
      ]);
      expect(wsEvents.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await pollUntil(
        async () => core.received.length,
        (n) => n >= 8,
        { what: 'core NATS' },
      );
      expect(core.received).toEqual(wsEvents);
      expect(stored.map((s) => s.envelope)).toEqual(wsEvents);
      for (const { msgId, envelope } of stored) {
        expect(msgId).toBe(envelope.id);
      }
    } finally {
      ws.close();
      await core.close();
    }
  });

  // Known bug, outside the relay: the Nest NATS transport (src/events/nats-transport.ts, its
  // deserializer gives every message with a reply subject an id) answers each event message as a
  // request, with `null`. A JetStream publish is such a request; when an instance's `null` comes
  // before the stream's ack, the publish fails, is retried, and core subscribers get the event
  // twice. Once the transport treats messages on the event subjects as events, make this it().
  it('an event message with a reply subject is answered by the stream alone', async () => {
    const inbox = createInbox();
    const answers: string[] = [];
    const sub = admin.subscribe(inbox, { callback: (_err, msg) => answers.push(msg.string()) });
    await admin.flush();
    await t.http.post('/products').send({ name: 'asked', price: 1 }).expect(201);
    const relay = t.app.get(OutboxRelay);
    await pollUntil(
      () => relay.backlog(),
      (n) => n === 0,
      { what: 'published' },
    );
    const envelope = (await readStream(admin)).at(-1)!.envelope;
    // as the relay publishes it: a repeat the stream drops, so it stays as it was
    const h = headers();
    h.set('Nats-Msg-Id', envelope.id);
    admin.publish('products.updates', JSON.stringify(envelope), { reply: inbox, headers: h });
    // the stream answers at once; give an instance's answer the time to come too
    await pollUntil(
      async () => answers.length,
      (n) => n >= 1,
      { what: 'an answer' },
    );
    await t.http.get('/health').expect(200);
    await admin.flush();
    sub.unsubscribe();
    expect(answers).toEqual([expect.stringContaining(`"stream":"${STREAM}"`)]);
  });

  it('a durable consumer offline through 100 changes gets all 100 once, in seq order, when it comes back', async () => {
    const jsm = await admin.jetstreamManager();
    await jsm.consumers.add(STREAM, {
      durable_name: 'sibling',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const sibling = await connect({ servers: nats.url });
    const before = await pullAll(sibling, 'sibling');
    await sibling.close(); // the sibling goes away
    const last = before.at(-1)!.seq;
    expect(gapFree(before.map((e) => e.seq))).toBe(true);

    for (let i = 0; i < 100; i++) {
      await t.http
        .post('/products')
        .send({ name: `offline-${i}`, price: i })
        .expect(201);
    }
    const relay = t.app.get(OutboxRelay);
    await pollUntil(
      () => relay.backlog(),
      (n) => n === 0,
      { what: 'outbox published' },
    );

    const back = await connect({ servers: nats.url });
    try {
      const missed = await pullAll(back, 'sibling');
      expect(missed.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => last + 1 + i));
      expect(missed.map((e) => e.payload.name)).toEqual(
        Array.from({ length: 100 }, (_, i) => `offline-${i}`),
      );
      const info = await jsm.consumers.info(STREAM, 'sibling');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    } finally {
      await back.close();
    }
  });
});

describe('The JetStream server restarted', () => {
  it('the 50 changes made while it was down are stored once each, in seq order, after it returns', async () => {
    const nats = await TestNatsServer.start({ jetstream: true });
    const t = await startTestApp({ NATS_URL: nats.url });
    const appNats = t.app.get(AppNats);
    const relay = t.app.get(OutboxRelay);
    try {
      await pollUntil(
        async () => appNats.jetstream,
        (s) => s === 'available',
        {
          what: 'JetStream available',
        },
      );
      await t.http.post('/products').send({ name: 'before', price: 1 }).expect(201);
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        { what: 'published' },
      );
      await nats.stop();
      await pollUntil(
        async () => appNats.state,
        (s) => s === 'disconnected',
        {
          what: 'NATS seen down',
        },
      );
      for (let i = 0; i < 50; i++) {
        await t.http
          .post('/products')
          .send({ name: `down-${i}`, price: i })
          .expect(201);
      }
      expect(await relay.backlog()).toBe(50);
      await nats.start();
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        {
          what: 'the backlog published',
        },
      );
      const nc = await connect({ servers: nats.url });
      try {
        const stored = await readStream(nc);
        expect(stored.map((s) => s.envelope.seq)).toEqual(
          Array.from({ length: 51 }, (_, i) => i + 1),
        );
        expect(stored.every((s) => s.msgId === s.envelope.id)).toBe(true);
      } finally {
        await nc.close();
      }
      expect((await t.http.get('/health/ready')).body.info.nats).toMatchObject({
        state: 'connected',
        jetstream: 'available',
      });
    } finally {
      await t.close();
      await nats.dispose();
    }
  });
});

describe('The stream deleted while the service runs', () => {
  it('is created again on the next publish, and the event is stored in it', async () => {
    const nats = await TestNatsServer.start({ jetstream: true });
    const t = await startTestApp({ NATS_URL: nats.url });
    const nc = await connect({ servers: nats.url });
    try {
      await pollUntil(
        async () => t.app.get(AppNats).jetstream,
        (s) => s === 'available',
        { what: 'JetStream available' },
      );
      await t.http.post('/products').send({ name: 'one', price: 1 }).expect(201);
      const relay = t.app.get(OutboxRelay);
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        { what: 'published' },
      );
      await (await nc.jetstreamManager()).streams.delete(STREAM);

      await t.http.post('/products').send({ name: 'two', price: 2 }).expect(201);
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        { what: 'published again' },
      );
      const stored = await readStream(nc);
      expect(stored.map((s) => [s.envelope.seq, s.envelope.payload.name])).toEqual([[2, 'two']]);
    } finally {
      await nc.close();
      await t.close();
      await nats.dispose();
    }
  });
});

describe('JetStream stream created at startup', () => {
  it('a server with JetStream and no stream yet: NATS_STREAM is created over both subjects', async () => {
    const nats = await TestNatsServer.start({ jetstream: true });
    const t = await startTestApp({
      NATS_URL: nats.url,
      NATS_STREAM: 'MY_EVENTS',
      EVENT_RETENTION_HOURS: '2',
      EVENT_RETENTION_MAX: '5000',
    });
    const nc = await connect({ servers: nats.url });
    try {
      await pollUntil(
        async () => t.app.get(AppNats).jetstream,
        (s) => s === 'available',
        { what: 'JetStream available' },
      );
      const { config } = await (await nc.jetstreamManager()).streams.info('MY_EVENTS');
      expect(config).toMatchObject({
        subjects: SUBJECTS,
        retention: RetentionPolicy.Limits,
        max_msgs: 5000,
        max_age: nanos(2 * 3_600_000),
      });
      await t.http.post('/products').send({ name: 'first', price: 1 }).expect(201);
      const stored = await pollUntil(
        () => readStream(nc, 'MY_EVENTS'),
        (list) => list.length === 1,
        { what: 'one message in the stream' },
      );
      expect(stored[0]).toMatchObject({ envelope: { seq: 1, event: 'product.created' } });
      expect(stored[0].msgId).toBe(stored[0].envelope.id);
    } finally {
      await nc.close();
      await t.close();
      await nats.dispose();
    }
  });
});

describe('A NATS server without JetStream', () => {
  it('core publish as before, and /health/ready says "jetstream": "unavailable"', async () => {
    const nats = await TestNatsServer.start();
    const t = await startTestApp({ NATS_URL: nats.url });
    const core = await coreListener(nats.url);
    try {
      await pollUntil(
        async () => (await t.http.get('/health/ready')).body.info.nats,
        (n) => n.state === 'connected' && n.jetstream === 'unavailable',
        { what: 'readiness naming JetStream unavailable' },
      );
      await t.http.post('/products').send({ name: 'core', price: 1 }).expect(201);
      await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 }).expect(201);
      const got = await pollUntil(
        async () => core.received,
        (list) => list.length >= 2,
        { what: 'two events on core NATS' },
      );
      expect(got.map((e) => [e.seq, e.event])).toEqual([
        [1, 'product.created'],
        [2, 'item.created'],
      ]);
      await pollUntil(
        () => t.app.get(OutboxRelay).backlog(),
        (n) => n === 0,
        {
          what: 'outbox published',
        },
      );
    } finally {
      await core.close();
      await t.close();
      await nats.dispose();
    }
  });
});
