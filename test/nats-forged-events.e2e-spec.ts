import { randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { OutboxRelay } from '../src/events/outbox-relay';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { parsePrometheus, sampleValue } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';
import { Frame, TestWsClient } from './helpers/ws-client';

interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  ts: string;
  origin: string;
}

const events = (frames: Frame[]) =>
  frames.filter((f) => 'seq' in f && 'origin' in f) as unknown as Envelope[];

async function dropped(t: TestApp): Promise<Record<string, number | undefined>> {
  const samples = parsePrometheus((await t.http.get('/metrics').expect(200)).text);
  return Object.fromEntries(
    ['unknown_event', 'schema', 'malformed', 'oversized'].map((reason) => [
      reason,
      sampleValue(samples, 'nats_events_dropped_total', { reason }),
    ]),
  );
}

/**
 * Two instances on one database: B relays (it holds the lease), so what A's WebSocket client
 * gets of B's changes came to A over NATS, through the catalog check. Anyone else publishing on
 * the subjects is the forger.
 */
describe('Envelopes that arrive over NATS', () => {
  let database: TestDatabase;
  let nats: TestNatsServer;
  let a: TestApp;
  let b: TestApp;
  let forger: NatsConnection;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await TestNatsServer.start();
    b = await startTestApp({ NATS_URL: nats.url }, database);
    await pollUntil(
      async () => b.app.get(OutboxRelay)['holding'],
      (holding) => holding,
      { what: 'B holding the relay lease' },
    );
    a = await startTestApp({ NATS_URL: nats.url }, database);
    for (const app of [a, b]) {
      await pollUntil(
        async () => app.app.get(AppNats).state,
        (s) => s === 'connected',
        { what: 'NATS connected' },
      );
    }
    forger = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await forger?.close();
    await a?.close();
    await b?.close();
    await nats.dispose();
    await database.drop();
  });

  it('forged, malformed and oversized ones never reach a WebSocket client and are counted; valid ones from another instance still do', async () => {
    const ws = await TestWsClient.connect(a.baseUrl);
    try {
      expect(await dropped(a)).toEqual({ unknown_event: 0, schema: 0, malformed: 0, oversized: 0 });
      // A's subscription comes up in the background: B's changes reach A once it is there
      await pollUntil(
        async () => {
          await b.http.post('/products').send({ name: 'from B', price: 1 }).expect(201);
          return events(ws.frames).length;
        },
        (n) => n > 0,
        { everyMs: 300, what: "B's change on A's WebSocket" },
      );
      const genuine = events(ws.frames)[0];
      expect(genuine).toMatchObject({ event: 'product.created', payload: { name: 'from B' } });

      const forged = (changes: Partial<Envelope>): Envelope => ({
        ...genuine,
        id: randomUUID(),
        seq: genuine.seq + 1,
        ...changes,
      });
      const forgeries = [
        forged({ event: 'product.stolen' }),
        forged({ event: 'product.updated', payload: { ...genuine.payload, price: 'abc' } }),
        forged({ payload: { ...genuine.payload, name: 'x'.repeat(300 * 1024) } }),
      ];
      for (const envelope of forgeries) {
        forger.publish('products.updates', JSON.stringify(envelope));
      }
      forger.publish('items.updates', '{"event": "item.created", "seq": ');
      // valid, but for a position no instance committed: heard of, looked for, forgotten
      const phantom = forged({ seq: 1_000_000_000, payload: { ...genuine.payload, price: 9 } });
      forger.publish('products.updates', JSON.stringify(phantom));
      await forger.flush();

      expect(
        await pollUntil(
          () => dropped(a),
          (d) => Object.values(d).reduce((sum: number, n) => sum + (n ?? 0), 0) >= 4,
          { what: 'the drops counted on A' },
        ),
      ).toEqual({ unknown_event: 1, schema: 1, malformed: 1, oversized: 1 });

      // the stream did not stall on the phantom position: B's next change comes right after
      await b.http.post('/products').send({ name: 'after the forgeries', price: 2 }).expect(201);
      await ws.next(
        (f) => (f.payload as { name?: string } | undefined)?.name === 'after the forgeries',
      );
      const seen = events(ws.frames);
      expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => genuine.seq + i));
      const ids = new Set(seen.map((e) => e.id));
      for (const envelope of [...forgeries, phantom]) {
        expect(ids.has(envelope.id)).toBe(false);
      }
      expect(seen.some((e) => e.payload.price === 'abc' || e.payload.price === 9)).toBe(false);
      // B's changes came to A over NATS, not through A's own relay
      expect(a.app.get(OutboxRelay)['holding']).toBe(false);
    } finally {
      ws.close();
    }
  });

  it('every kind of event another instance makes passes the check: products, items, a rates sync and its job', async () => {
    const ws = await TestWsClient.connect(a.baseUrl);
    try {
      const before = await dropped(a);
      const product = (await b.http.post('/products').send({ name: 'kinds', price: 1 })).body;
      await b.http.patch(`/products/${product.id}`).send({ price: 2 }).expect(200);
      await b.http.delete(`/products/${product.id}`).expect(204);
      const item = (await b.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 })).body;
      await b.http.patch(`/items/${item.id}`).send({ rate: 0.95 }).expect(200);
      const job = (await b.http.post('/tasks/run').expect(202)).body;
      await ws.next((f) => f.event === 'job.finished' && f.payload?.job_id === job.job_id);
      expect(events(ws.frames).map((e) => e.event)).toEqual(
        expect.arrayContaining([
          'product.created',
          'product.updated',
          'product.deleted',
          'item.created',
          'item.updated',
          'job.started',
          'rates.synced',
          'job.finished',
        ]),
      );
      expect(await dropped(a)).toEqual(before);
      expect(a.app.get(OutboxRelay)['holding']).toBe(false);
    } finally {
      ws.close();
    }
  });
});
