import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect, NatsConnection, Subscription } from 'nats';
import { SqlDialect } from '../src/database/sql-dialect';
import { managerOf } from '../src/database/transaction';
import { TransactionRunner } from '../src/database/transaction-runner';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { OutboxRelay } from '../src/events/outbox-relay';
import { TestNatsServer, TestNatsOptions } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { parsePrometheus } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';

interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
}

/**
 * Writes one event row as a writer of the app does, but of any size: its position taken from
 * the stream's row in the same transaction. Resolves with that position.
 */
async function insertRawEvent(t: TestApp, descriptionBytes: number): Promise<number> {
  const sql = t.app.get(SqlDialect);
  return t.app.get(TransactionRunner).run(async (tx) => {
    const manager = managerOf(tx);
    await manager.query('UPDATE event_stream SET last_seq = last_seq + 1 WHERE id = 1');
    const [{ last_seq }] = await manager.query<{ last_seq: number | string }[]>(
      'SELECT last_seq FROM event_stream WHERE id = 1',
    );
    const seq = Number(last_seq);
    const envelope = JSON.stringify({
      id: randomUUID(),
      seq,
      event: 'product.updated',
      payload: { id: 1, name: 'huge', description: 'x'.repeat(descriptionBytes), price: 1 },
      ts: new Date().toISOString(),
      origin: 'a-test',
    });
    await manager.query(
      `INSERT INTO outbox (seq, subject, envelope, created_at) VALUES (${[1, 2, 3, 4].map((n) => sql.param(n)).join(', ')})`,
      [seq, 'products.updates', envelope, sql.timestamp(new Date())],
    );
    return seq;
  });
}

async function coreListener(url: string) {
  const nc: NatsConnection = await connect({ servers: url });
  const received: Envelope[] = [];
  const subs: Subscription[] = ['products.updates', 'items.updates'].map((subject) =>
    nc.subscribe(subject, { callback: (_err, msg) => received.push(msg.json<Envelope>()) }),
  );
  await nc.flush();
  return { received, close: async () => (subs.forEach((s) => s.unsubscribe()), nc.close()) };
}

interface PoisonCase {
  name: string;
  nats: TestNatsOptions;
  /** The stream exists before the service starts, with this limit on one message. */
  streamMaxMsgSize?: number;
  bytes: number;
  reason: RegExp;
  /**
   * A JetStream publish is a core message too: when only the stream refuses it (its own limit),
   * core subscribers have had it already.
   */
  coreGetsIt?: boolean;
}

const cases: PoisonCase[] = [
  {
    name: 'an envelope over 256 KiB (JetStream)',
    nats: { jetstream: true },
    bytes: 300 * 1024,
    reason: /over 262144/,
  },
  {
    name: 'a row over the server max_payload (JetStream)',
    nats: { jetstream: true, maxPayload: 65536 },
    bytes: 100 * 1000,
    reason: /MAX_PAYLOAD_EXCEEDED/i,
  },
  {
    name: 'a row over the max_msg_size of a stream an operator set up (JetStream)',
    nats: { jetstream: true },
    streamMaxMsgSize: 65536,
    bytes: 100 * 1000,
    reason: /maximum/i,
    coreGetsIt: true,
  },
  {
    name: 'a row over the server max_payload (core NATS)',
    nats: { maxPayload: 65536 },
    bytes: 100 * 1000,
    reason: /MAX_PAYLOAD_EXCEEDED/i,
  },
];

describe.each(cases)('No poison event: $name', (poisonCase) => {
  const { nats: options, bytes, reason, streamMaxMsgSize, coreGetsIt } = poisonCase;
  let nats: TestNatsServer;
  let t: TestApp;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    nats = await TestNatsServer.start(options);
    if (streamMaxMsgSize !== undefined) {
      const nc = await connect({ servers: nats.url });
      await (
        await nc.jetstreamManager()
      ).streams.add({
        name: 'CATALOG_EVENTS',
        subjects: ['products.updates', 'items.updates'],
        max_msg_size: streamMaxMsgSize,
      });
      await nc.close();
    }
    t = await startTestApp({ NATS_URL: nats.url });
    await pollUntil(
      async () => t.app.get(AppNats),
      (n) => n.connected && n.jetstream === (options.jetstream ? 'available' : 'unavailable'),
      { what: 'NATS connected' },
    );
  });
  afterAll(async () => {
    errors?.mockRestore();
    await t.close();
    await nats.dispose();
  });

  it('is set aside with its reason (error log, metrics) and the 100 rows after it are published in order', async () => {
    const core = await coreListener(nats.url);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await t.http.post('/products').send({ name: 'before', price: 1 }).expect(201);
      const poison = await insertRawEvent(t, bytes);
      const after: number[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await t.http.post('/products').send({ name: `after-${i}`, price: i });
        expect(res.status).toBe(201);
        after.push(res.body.id as number);
      }
      const relay = t.app.get(OutboxRelay);
      await pollUntil(
        () => relay.backlog(),
        (n) => n === 0,
        {
          what: 'the rows after it published',
        },
      );
      const got = await pollUntil(
        async () => core.received,
        (list) => list.length >= (coreGetsIt ? 102 : 101),
        { what: 'the events on core NATS' },
      );
      expect(got.map((e) => e.seq)).toEqual([
        poison - 1,
        ...(coreGetsIt ? [poison] : []),
        ...Array.from({ length: 100 }, (_, i) => poison + 1 + i),
      ]);
      expect(got.slice(-100).map((e) => e.payload.id)).toEqual(after);

      const [row] = await t.dataSource.query<
        { failed_at: unknown; failure: string | null; sent_at: unknown }[]
      >(`SELECT failed_at, failure, sent_at FROM outbox WHERE seq = ${poison}`);
      expect(row.failed_at).not.toBeNull();
      expect(row.sent_at).toBeNull();
      expect(row.failure).toMatch(reason);

      const logged = errors.mock.calls.map((call) => String(call[0]));
      expect(logged).toContainEqual(expect.stringMatching(new RegExp(`event ${poison} set aside`)));

      const samples = parsePrometheus((await t.http.get('/metrics').expect(200)).text);
      const value = (name: string) => samples.find((s) => s.name === name)?.value;
      expect(value('outbox_set_aside_total')).toBe(1);
      expect(value('outbox_set_aside')).toBe(1);
      expect(value('outbox_backlog')).toBe(0);

      if (options.jetstream) {
        const nc = await connect({ servers: nats.url });
        const { state } = await (await nc.jetstreamManager()).streams.info('CATALOG_EVENTS');
        await nc.close();
        expect(state.messages).toBe(101); // all but the poison row
      }
    } finally {
      await core.close();
    }
  });
});
