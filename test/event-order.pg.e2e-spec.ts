import { AckPolicy, connect, DeliverPolicy, JsMsg, NatsConnection, Subscription } from 'nats';
import { Client } from 'pg';
import request from 'supertest';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, POSTGRES_BASE, TestDatabase } from './helpers/test-database';
import { Frame, TestWsClient } from './helpers/ws-client';

/**
 * Order across instances on one PostgreSQL database. A `.pg` spec: it runs in the PostgreSQL
 * pass only, on that server even when run alone.
 */
interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
}

const STREAM = 'CATALOG_EVENTS';
const SUBJECTS = ['products.updates', 'items.updates'];
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function coreListener(nc: NatsConnection) {
  const received: Envelope[] = [];
  const subs: Subscription[] = SUBJECTS.map((subject) =>
    nc.subscribe(subject, { callback: (_err, msg) => received.push(msg.json<Envelope>()) }),
  );
  await nc.flush();
  return { received, stop: () => subs.forEach((s) => s.unsubscribe()) };
}

/** A durable pull consumer that reads and acks as messages come. */
async function durableListener(nc: NatsConnection, durable: string) {
  await (
    await nc.jetstreamManager()
  ).consumers.add(STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await (await nc.jetstream().consumers.get(STREAM, durable)).consume();
  const received: Envelope[] = [];
  const done = (async () => {
    for await (const msg of messages as AsyncIterable<JsMsg>) {
      received.push(msg.json<Envelope>());
      msg.ack();
    }
  })();
  return { received, stop: async () => (await messages.close(), await done) };
}

/** Every message of the stream in stream order, with its `Nats-Msg-Id`. */
async function readWholeStream(nc: NatsConnection) {
  const { state } = await (await nc.jetstreamManager()).streams.info(STREAM);
  const messages = await (await nc.jetstream().consumers.get(STREAM)).consume();
  const out: { msgId?: string; envelope: Envelope }[] = [];
  for await (const msg of messages as AsyncIterable<JsMsg>) {
    out.push({ msgId: msg.headers?.get('Nats-Msg-Id'), envelope: msg.json<Envelope>() });
    if (out.length === state.messages) {
      break;
    }
  }
  await messages.close();
  return { state, messages: out };
}

const events = (frames: Frame[]) =>
  frames.filter((f) => typeof f.seq === 'number') as unknown as Envelope[];

async function lastSeq(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ last_seq: string }>(
      'SELECT last_seq FROM event_stream WHERE id = 1',
    );
    return Number(rows[0].last_seq);
  } finally {
    await client.end();
  }
}

describe('Two instances on one PostgreSQL database: every listener sees every change once, in seq order', () => {
  let database: TestDatabase;
  let nats: TestNatsServer;
  let a: TestApp;
  let b: SpawnedApp;
  let nc: NatsConnection;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_BASE);
    nats = await TestNatsServer.start({ jetstream: true });
    a = await startTestApp({ NATS_URL: nats.url }, database);
    b = spawnApp({ DATABASE_URL: database.url, NATS_URL: nats.url }, await freePort());
    await waitForHttp(`${b.baseUrl}/health`, 30_000, b);
    await pollUntil(
      async () => a.app.get(AppNats).jetstream,
      (s) => s === 'available',
      { what: 'the stream set up' },
    );
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await b?.stop();
    await a?.close();
    await nats.dispose();
    await database.drop();
  });

  it('interleaved writes on both: core NATS, a JetStream consumer and a WebSocket client on each instance get 1..N exactly', async () => {
    const core = await coreListener(nc);
    const durable = await durableListener(nc, 'order-check');
    const onA = await TestWsClient.connect(a.baseUrl);
    const onB = await TestWsClient.connect(b.baseUrl);
    const http = [a.http, request(b.baseUrl)];
    try {
      // each instance's NATS subscription comes up in the background: a change made through the
      // other one reaches its WebSocket client once it is there
      for (const [writer, reader] of [
        [1, onA],
        [0, onB],
      ] as const) {
        await pollUntil(
          async () => {
            await http[writer].post('/items').send({ code: `M${writer}`, base: 'USD', rate: 1 });
            return events(reader.frames).some((e) => e.event.startsWith('item.'));
          },
          (seen) => seen,
          { everyMs: 300, what: 'fan-out between the instances' },
        );
      }

      const workers = Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 20; i++) {
          const via = http[(w + i) % 2];
          const res =
            i % 3 === 2
              ? await via.post('/items').send({ code: `C${w}${i}`, base: 'EUR', rate: i + 1 })
              : await via.post('/products').send({ name: `w${w}-${i}`, price: i });
          expect(res.status).toBe(201);
          if (i % 3 === 0) {
            await via
              .patch(`/products/${res.body.id}`)
              .send({ price: i + 1 })
              .expect(200);
          }
        }
      });
      await Promise.all(workers);
      const n = await lastSeq(database.url);
      expect(n).toBeGreaterThanOrEqual(160);

      const listeners: [string, () => Envelope[]][] = [
        ['core NATS', () => core.received],
        ['JetStream consumer', () => durable.received],
        ['WebSocket on A', () => events(onA.frames)],
        ['WebSocket on B', () => events(onB.frames)],
      ];
      for (const [what, got] of listeners) {
        await pollUntil(
          async () => got().length,
          (count) => count >= n,
          { what },
        );
      }
      // a late duplicate would show up behind the last one: let the same round trip pass again
      await a.http.get('/health/ready').expect(200);
      await nc.flush();
      const reference = durable.received;
      for (const [what, got] of listeners) {
        expect({ what, seqs: got().map((e) => e.seq) }).toEqual({ what, seqs: range(1, n) });
        expect(got()).toEqual(reference);
      }
    } finally {
      onA.close();
      onB.close();
      core.stop();
      await durable.stop();
    }
  });
});

describe('Relay failover: the lease holder killed with SIGKILL mid-batch', () => {
  const BURST = 20_000;
  let database: TestDatabase;
  let nats: TestNatsServer;
  let apps: SpawnedApp[] = [];
  let db: Client;
  let nc: NatsConnection;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_BASE);
    nats = await TestNatsServer.start({ jetstream: true });
    const env = {
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      LEASE_TTL_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    const first = spawnApp(env, await freePort());
    await waitForHttp(`${first.baseUrl}/health`, 30_000, first);
    const second = spawnApp(env, await freePort());
    await waitForHttp(`${second.baseUrl}/health`, 30_000, second);
    apps = [first, second];
    db = new Client({ connectionString: database.url });
    await db.connect();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await db?.end();
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await nats.dispose();
    await database.drop();
  });

  const relayHolder = async (): Promise<string | undefined> => {
    const { rows } = await db.query<{ owner: string }>(
      "SELECT owner FROM leases WHERE name = 'events.relay' AND expires_at > now()",
    );
    return rows[0]?.owner;
  };
  const unpublished = async (): Promise<number> =>
    Number(
      (
        await db.query<{ n: string }>(
          'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL',
        )
      ).rows[0].n,
    );

  it('another instance takes the lease and publishes the rest: the stream holds every seq exactly once', async () => {
    for (const app of apps) {
      await pollUntil(
        async () => {
          const ready = (await (await fetch(`${app.baseUrl}/health/ready`)).json()) as {
            info: { nats: { jetstream: string } };
          };
          return ready.info.nats.jetstream;
        },
        (jetstream) => jetstream === 'available',
        { what: 'JetStream on each instance' },
      );
    }
    await fetch(`${apps[0].baseUrl}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'first', price: 1 }),
    });
    const owner = await pollUntil(relayHolder, (o) => o !== undefined, { what: 'a relay' });
    const holder = apps.find((app) => owner?.includes(`-${app.child.pid}-`));
    const survivor = apps.find((app) => app !== holder)!;
    expect(holder).toBeDefined();
    const jsm = await nc.jetstreamManager();
    await pollUntil(
      () => unpublished(),
      (n) => n === 0,
      { what: 'the first event out' },
    );

    // a burst committed in one transaction, its positions taken as the app takes them
    await db.query('BEGIN');
    await db.query(
      `WITH taken AS (UPDATE event_stream SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq)
       INSERT INTO outbox (seq, subject, envelope, created_at)
       SELECT s, 'products.updates', json_build_object(
           'id', gen_random_uuid(), 'seq', s, 'event', 'product.updated',
           'payload', json_build_object('id', s, 'name', 'burst ' || s, 'description', '', 'price', 1),
           'ts', to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'origin', 'a-test')::text, now()
       FROM taken, generate_series(taken.last_seq - $1 + 1, taken.last_seq) AS s`,
      [BURST],
    );
    await db.query('COMMIT');
    const total = BURST + 1;

    const inStream = await pollUntil(
      async () => (await jsm.streams.info(STREAM)).state.messages,
      (m) => m >= 2000,
      { what: 'the holder publishing the burst', everyMs: 5, deadlineMs: 20_000 },
    );
    await holder!.stop('SIGKILL');
    const stored = (await jsm.streams.info(STREAM)).state.messages;
    const marked = total - (await unpublished());
    expect(stored).toBeLessThan(total);
    // what the stream took beyond what was marked is published again by the survivor
    expect(stored).toBeGreaterThanOrEqual(marked);
    console.log(
      `killed at ${inStream}+ in the stream; ${stored} stored, ${marked} marked: ${stored - marked} to be dropped as repeats`,
    );

    await pollUntil(
      () => unpublished(),
      (n) => n === 0,
      {
        what: 'the survivor publishing the rest',
        deadlineMs: 60_000,
        everyMs: 200,
      },
    );
    expect(await relayHolder()).toContain(`-${survivor.child.pid}-`);

    const { state, messages } = await readWholeStream(nc);
    expect(state.messages).toBe(total);
    expect(messages.map((m) => m.envelope.seq)).toEqual(range(1, total));
    expect(messages.every((m) => m.msgId === m.envelope.id)).toBe(true);

    // and a repeat of an envelope now is dropped by its Nats-Msg-Id
    const again = messages[total - 1];
    const ack = await nc
      .jetstream()
      .publish('products.updates', JSON.stringify(again.envelope), { msgID: again.msgId });
    expect(ack.duplicate).toBe(true);
    expect((await jsm.streams.info(STREAM)).state.messages).toBe(total);
  });
});
