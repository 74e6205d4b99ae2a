import { randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { NatsConnection as AppNats } from '../src/events/nats-connection';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { nestedJson, prng } from './helpers/prng';
import { parsePrometheus, sampleValue } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';
import { Frame, TestWsClient } from './helpers/ws-client';

/**
 * Fuzz from the other sides: hostile text from the upstream, and forged frames on the service's
 * NATS subjects. Deterministic (FUZZ_SEED picks another stream). Every answer stays below 500,
 * nothing but what the import may write changes, and no forged envelope reaches a listener.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const UPSTREAM_IDS = 60;
const FORGERIES = 300;
// C0 (tab and newline among them), DEL and C1: what the service must strip from upstream text
const CONTROLS = [
  ...Array.from({ length: 32 }, (_, n) => String.fromCharCode(n)),
  '\u007f',
  ...Array.from({ length: 32 }, (_, n) => String.fromCharCode(0x80 + n)),
];
// eslint-disable-next-line no-control-regex -- these are the characters under test
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- tab and newline allowed
const DESCRIPTION_CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

interface Envelope {
  id: string;
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  ts: string;
  origin: string;
}

const envelopes = (frames: Frame[]) =>
  frames.filter((f) => 'seq' in f && 'origin' in f) as unknown as Envelope[];

async function fiveHundreds(t: TestApp): Promise<number> {
  const samples = parsePrometheus((await t.http.get('/metrics').expect(200)).text);
  return samples
    .filter(
      (s) => s.name === 'http_request_duration_seconds_count' && s.labels.status?.startsWith('5'),
    )
    .reduce((sum, s) => sum + s.value, 0);
}

describe('Fuzz: hostile upstream text and forged NATS frames', () => {
  const random = prng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const noisy = (text: string, n: number) => {
    let out = text;
    for (let k = 0; k < n; k++) {
      const at = Math.floor(random() * (out.length + 1));
      out = out.slice(0, at) + pick(CONTROLS) + out.slice(at);
    }
    return out;
  };

  let upstream: FakeUpstream;
  let nats: TestNatsServer;
  let t: TestApp;
  let forger: NatsConnection;

  const snapshot = async () => ({
    products: await t.dataSource.query('SELECT * FROM products ORDER BY id'),
    items: await t.dataSource.query('SELECT * FROM items ORDER BY id'),
    history: await t.dataSource.query('SELECT * FROM item_history ORDER BY id'),
    outbox: await t.dataSource.query('SELECT seq, envelope FROM outbox ORDER BY seq'),
  });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    nats = await TestNatsServer.start({ maxPayload: 2 * 1024 * 1024 });
    t = await startTestApp({
      NATS_URL: nats.url,
      EXTERNAL_API_URL: upstream.url,
      RATE_LIMIT_EXPENSIVE: '0',
      TASK_INTERVAL_SECONDS: '0',
    });
    await pollUntil(
      async () => t.app.get(AppNats).state,
      (state) => state === 'connected',
      { what: 'NATS connected' },
    );
    forger = await connect({ servers: nats.url, maxPingOut: 10 });
  });
  afterAll(async () => {
    await forger?.close();
    await t?.close();
    await nats?.dispose();
    await upstream?.close();
  });

  it(`${UPSTREAM_IDS} upstream products with control characters in their text: stored clean, an unusable name fails only its id, never a 5xx`, async () => {
    const ids = Array.from({ length: UPSTREAM_IDS }, (_, n) => String(n + 1));
    const emptied = new Set<string>();
    for (const id of ids) {
      const roll = random();
      if (roll < 0.1) {
        emptied.add(id); // nothing but control characters: no name is left
        upstream.options.overrides.set(id, { title: noisy('', 1 + Math.floor(random() * 5)) });
      } else {
        upstream.options.overrides.set(id, {
          title: noisy(`Product ${id}`, 1 + Math.floor(random() * 6)),
          description: noisy(`line one\tcol\nline two of ${id}`, Math.floor(random() * 8)),
        });
      }
    }
    const res = await t.http.post('/products/fetch_external').send({ external_ids: ids });
    expect(res.status).toBe(200);
    const results = res.body.results as { external_id: string; status: string }[];
    for (const result of results) {
      expect(result.status).toBe(emptied.has(result.external_id) ? 'failed' : 'created');
    }

    const stored: { name: string; description: string; external_id: string }[] =
      await t.dataSource.query('SELECT name, description, external_id FROM products');
    expect(stored).toHaveLength(UPSTREAM_IDS - emptied.size);
    for (const product of stored) {
      expect(product.name).toBe(`Product ${product.external_id}`);
      expect(CONTROL_RE.test(product.name)).toBe(false);
      expect(DESCRIPTION_CONTROL_RE.test(product.description)).toBe(false);
    }
    expect(stored.some((p) => p.description.includes('\t') && p.description.includes('\n'))).toBe(
      true,
    );
    expect(await fiveHundreds(t)).toBe(0);
  });

  it(`${FORGERIES} forged frames on the event subjects reach no WebSocket client and change nothing`, async () => {
    const ws = await TestWsClient.connect(t.baseUrl);
    try {
      // a genuine envelope to forge from, seen by the client
      const real = (await t.http.post('/products').send({ name: 'genuine', price: 1 })).body;
      await ws.next((f) => (f.payload as { id?: number } | undefined)?.id === real.id);
      const genuine = envelopes(ws.frames).at(-1) as Envelope;
      const before = await snapshot();

      const forgedIds = new Set<string>();
      const shapes: (() => string | Uint8Array)[] = [
        () => JSON.stringify({ ...genuine, id: mark(), event: pick(['product.stolen', '', 'x']) }),
        () =>
          JSON.stringify({
            ...genuine,
            id: mark(),
            seq: genuine.seq + 1 + Math.floor(random() * 5),
            payload: { ...genuine.payload, price: pick(['abc', -1, null, {}, [1]]) },
          }),
        () => JSON.stringify({ ...genuine, id: mark(), seq: pick([0, -1, 1.5, 'x', null]) }),
        () => JSON.stringify({ ...genuine, id: mark(), payload: nestedJson(200) }),
        () => `{"id":"${mark()}","event":"item.created","payload":${nestedJson(3000)}}`,
        () =>
          JSON.stringify({
            ...genuine,
            id: mark(),
            payload: { ...genuine.payload, name: 'x'.repeat(300 * 1024) },
          }),
        () => JSON.stringify(pick([null, 1, 'text', [], true])),
        () => `{"event": "product.created", "seq": ${Math.floor(random() * 1000)}`,
        () => Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => random() * 256),
        // well formed, for a position nobody committed: heard of, looked for, never delivered
        () =>
          JSON.stringify({
            ...genuine,
            id: mark(),
            seq: genuine.seq + 1000 + Math.floor(random() * 1e6),
          }),
      ];
      function mark(): string {
        const id = randomUUID();
        forgedIds.add(id);
        return id;
      }
      for (let n = 0; n < FORGERIES; n++) {
        forger.publish(pick(['products.updates', 'items.updates']), pick(shapes)());
      }
      await forger.flush();

      // a real change made after the flood arrives next, right after the genuine one
      const after = (await t.http.post('/products').send({ name: 'after', price: 2 })).body;
      await ws.next((f) => (f.payload as { id?: number } | undefined)?.id === after.id);
      const seen = envelopes(ws.frames);
      expect(seen.some((e) => forgedIds.has(e.id))).toBe(false);
      expect(seen.at(-1)?.seq).toBe(genuine.seq + 1);

      await t.http.delete(`/products/${after.id}`).expect(204);
      const now = await snapshot();
      expect(now.products).toEqual(before.products);
      expect(now.items).toEqual(before.items);
      expect(now.history).toEqual(before.history);
      // only the service's own two events were added to the stream
      expect(now.outbox.length - before.outbox.length).toBe(2);
      const samples = parsePrometheus((await t.http.get('/metrics').expect(200)).text);
      const dropped = ['unknown_event', 'schema', 'malformed', 'oversized']
        .map((reason) => sampleValue(samples, 'nats_events_dropped_total', { reason }) ?? 0)
        .reduce((sum, n) => sum + n, 0);
      expect(dropped).toBeGreaterThan(FORGERIES / 2);
      expect(await fiveHundreds(t)).toBe(0);
    } finally {
      ws.close();
    }
  });
});
