import { EventStreamService } from '../src/gateway/feed/event-stream.service';
import { expectErrorShape } from './helpers/error-shape';
import { closeGraceMs } from '../src/lifecycle/graceful-shutdown';
import { SseEvent, TestSseClient } from './helpers/sse-client';
import { freePort, spawnApp, waitForHttp } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase } from './helpers/test-database';

const seqs = (events: SseEvent[]): number[] => events.map((e) => Number(e.id));
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Server-Sent Events: GET /events/stream', () => {
  let t: TestApp;
  let itemId: number;
  let rate = 1;
  const clients: TestSseClient[] = [];

  const connect = async (path = '/events/stream', headers: Record<string, string> = {}) => {
    const client = await TestSseClient.connect(t.baseUrl, path, headers);
    clients.push(client);
    return client;
  };
  /** One committed change (an item.updated); resolves with its position. */
  const change = async (): Promise<number> => {
    await t.http
      .patch(`/items/${itemId}`)
      .send({ rate: (rate += 0.01) })
      .expect(200);
    return latest();
  };
  const latest = async (): Promise<number> =>
    (await t.http.get('/events/latest').expect(200)).body.seq as number;

  beforeAll(async () => {
    t = await startTestApp();
    itemId = (await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate }).expect(201)).body
      .id;
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens a text/event-stream at once and, without a position, sends live events only', async () => {
    const before = await latest();
    const client = await connect();
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream');
    expect(client.headers['cache-control']).toBe('no-cache');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.headers['x-request-id']).toEqual(expect.any(String));
    const { epoch } = (await t.http.get('/events/latest').expect(200)).body;
    expect(client.headers['x-stream-epoch']).toBe(epoch);
    const next = await change();
    expect(next).toBe(before + 1);
    await client.count(1);
    const [event] = client.events;
    expect(event).toEqual({ id: String(next), event: 'item.updated', data: expect.any(String) });
    const feed = await t.http.get('/events').query({ after: before }).expect(200);
    // the same envelope as the feed's, byte for byte
    expect(`[${event.data}]`).toBe(feed.text);
  });

  it('a client that reconnects with Last-Event-ID gets exactly the 50 changes it missed, in order, then live ones', async () => {
    const first = await connect();
    for (let i = 0; i < 3; i++) {
      await change();
    }
    await first.count(3);
    const lastSeen = Number(first.events[2].id);
    first.close();
    await first.waitEnded();
    await waitFor(() => t.app.get(EventStreamService).clientCount === 0, 'the stream closed');

    for (let i = 0; i < 50; i++) {
      await change();
    }
    const back = await connect('/events/stream', { 'Last-Event-ID': String(lastSeen) });
    await back.count(50);
    expect(seqs(back.events)).toEqual(range(lastSeen + 1, lastSeen + 50));
    const missed = await t.http.get('/events').query({ after: lastSeen, limit: 50 }).expect(200);
    expect(back.events.map((e) => e.data)).toEqual(
      (missed.body as unknown[]).map((e) => JSON.stringify(e)),
    );
    expect(back.events.every((e) => e.event === 'item.updated')).toBe(true);

    const live = await change();
    await back.count(51);
    expect(Number(back.events[50].id)).toBe(live);
    expect(back.events).toHaveLength(51);
  });

  it('resumes after ?after, and Last-Event-ID wins over it', async () => {
    const top = await latest();
    const byQuery = await connect(`/events/stream?after=${top - 3}`);
    await byQuery.count(3);
    expect(seqs(byQuery.events)).toEqual(range(top - 2, top));

    const both = await connect(`/events/stream?after=0`, { 'Last-Event-ID': String(top - 1) });
    await both.count(1);
    const live = await change();
    await both.count(2);
    expect(seqs(both.events)).toEqual([top, live]);
  });

  it('loses nothing and repeats nothing at the seam when changes commit while the replay runs', async () => {
    const from = await latest();
    const writes = (async () => {
      for (let i = 0; i < 40; i++) {
        await change();
      }
    })();
    const client = await connect(`/events/stream?after=${from}`);
    await writes;
    await client.count(40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seqs(client.events)).toEqual(range(from + 1, from + 40));
  });

  it('filters with ?events= as WebSocket subscribe does, in the replay and live', async () => {
    const from = await latest();
    const product = (await t.http.post('/products').send({ name: 'P', price: 1 }).expect(201)).body;
    await change();
    const client = await connect(`/events/stream?after=${from}&events=product.*,rates.synced`);
    await client.count(1);
    await change();
    await t.http.delete(`/products/${product.id}`).expect(204);
    await client.count(2);
    expect(client.events.map((e) => e.event)).toEqual(['product.created', 'product.deleted']);
    expect(seqs(client.events)).toEqual([from + 1, from + 4]);
  });

  it('answers 400 in the error shape for a bad position or filter', async () => {
    for (const [path, headers, message] of [
      ['/events/stream?after=-1', {}, ['after must be an integer >= 0']],
      ['/events/stream?after=x', {}, ['after must be an integer >= 0']],
      ['/events/stream', { 'Last-Event-ID': 'abc' }, 'Last-Event-ID must be an integer >= 0'],
      ['/events/stream?events=item.bogus', {}, ['events: unknown event or pattern "item.bogus"']],
      ['/events/stream?events=', {}, [expect.stringMatching(/^events must list 1 to 50/)]],
      ['/events/stream?limit=3', {}, ['property limit should not exist']],
    ] as const) {
      const client = await connect(path, headers);
      expect(client.status).toBe(400);
      const body = await client.json();
      expect(body).toMatchObject({ statusCode: 400, message, path });
    }
    const viaSupertest = await t.http.get('/events/stream').query({ after: 'x' });
    expectErrorShape(viaSupertest, 400);
  });

  // near the end: it deletes the oldest rows, as retention would
  it('sends resync first when the position is older than retention (or beyond the latest), then live events', async () => {
    const top = await latest();
    await t.dataSource.query('DELETE FROM outbox WHERE seq <= 5');
    const behind = await connect('/events/stream', { 'Last-Event-ID': '2' });
    await behind.count(1);
    expect(behind.events[0]).toEqual({
      id: String(top),
      event: 'resync',
      data: JSON.stringify({ earliest_seq: 6, seq: top }),
    });
    const ahead = await connect(`/events/stream?after=${top + 100}`);
    await ahead.count(1);
    expect(ahead.events[0].event).toBe('resync');
    const live = await change();
    await behind.count(2);
    await ahead.count(2);
    expect(behind.events[1]).toMatchObject({ id: String(live), event: 'item.updated' });
    expect(ahead.events[1]).toMatchObject({ id: String(live), event: 'item.updated' });
    // right after the retained window's start there is nothing to resync
    const kept = await connect('/events/stream?after=5');
    await kept.count(live - 5);
    expect(seqs(kept.events)).toEqual(range(6, live));
  });

  it('ends open streams at shutdown, so they do not hold it', async () => {
    const client = await connect();
    await waitFor(() => t.app.get(EventStreamService).clientCount > 0, 'the stream open');
    t.app.get(EventStreamService).beforeApplicationShutdown();
    await client.waitEnded(2000);
    const refused = await t.http.get('/events/stream');
    expectErrorShape(refused, 503);
  });
});

describe('Server-Sent Events at the shutdown of the built service', () => {
  it('SIGTERM ends an open stream cleanly at once (not cut after the grace period), and the process exits 0', async () => {
    const database = await createTestDatabase();
    const shutdownTimeoutMs = 20_000;
    const app = spawnApp(
      { DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) },
      await freePort(),
    );
    try {
      await waitForHttp(`${app.baseUrl}/health`, 30_000, app);
      const client = await TestSseClient.connect(app.baseUrl);
      expect(client.status).toBe(200);
      const signalledAt = Date.now();
      app.child.kill('SIGTERM');
      await client.waitEnded(shutdownTimeoutMs);
      expect(client.endedByServer).toBe(true);
      expect(Date.now() - signalledAt).toBeLessThan(closeGraceMs(shutdownTimeoutMs));
      expect(await app.exited).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await database.drop();
    }
  }, 60_000);
});

async function waitFor(done: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > end) {
      throw new Error(`${what} not reached within ${deadlineMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
