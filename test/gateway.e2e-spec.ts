import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

describe('WebSocket /ws/items', () => {
  let t: TestApp;
  const clients: TestWsClient[] = [];
  const connect = async (options = {}) => {
    const client = await TestWsClient.connect(t.baseUrl, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestApp({ WS_HEARTBEAT_MS: '300' });
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    await t.close();
  });

  it('greets with the instance and the event names, then sends every committed change as its envelope', async () => {
    const client = await connect();
    expect(client.frames[0]).toEqual({
      event: 'welcome',
      payload: {
        instance: expect.any(String),
        events: expect.arrayContaining(['product.created', 'rates.synced']),
        seq: 0,
        epoch: expect.any(String),
      },
    });
    const product = (await t.http.post('/products').send({ name: 'live', price: 3 })).body;
    const frame = await client.next((f) => f.event === 'product.created');
    expect(frame).toEqual({
      id: expect.any(String),
      seq: 1,
      event: 'product.created',
      payload: expect.objectContaining({ id: product.id, name: 'live' }),
      ts: expect.any(String),
      origin: client.frames[0].payload?.instance,
    });
  });

  it('answers ping with pong', async () => {
    const client = await connect();
    client.send({ event: 'ping' });
    await client.next((f) => f.event === 'pong');
  });

  it('narrows what a client gets with subscribe', async () => {
    const client = await connect();
    client.send({ event: 'subscribe', data: { events: ['item.*'] } });
    expect(await client.next((f) => f.event === 'subscribed')).toEqual({
      event: 'subscribed',
      payload: { events: ['item.*'] },
    });
    const from = client.frames.length;
    await t.http.post('/products').send({ name: 'not for me', price: 1 }).expect(201);
    await t.http.post('/items').send({ code: 'WSX', base: 'USD', rate: 2 }).expect(201);
    await client.next((f) => f.event === 'item.created', from);
    expect(client.frames.slice(from).map((f) => f.event)).toEqual(['item.created']);
  });

  it.each([
    ['not JSON', 'hello', 'not valid JSON'],
    ['no event', { data: 1 }, 'string "event"'],
    ['an unknown event', { event: 'dance' }, 'unknown event "dance"'],
    ['a subscribe without events', { event: 'subscribe', data: {} }, 'subscribe needs'],
    [
      'a subscribe to an unknown event',
      { event: 'subscribe', data: { events: ['nope'] } },
      'unknown event or pattern',
    ],
  ])('answers %s with an error frame and stays connected', async (_label, frame, message) => {
    const client = await connect();
    client.send(frame);
    const error = await client.next((f) => f.event === 'error');
    expect(error.payload?.message).toContain(message);
    client.send({ event: 'ping' });
    await client.next((f) => f.event === 'pong');
  });

  it('closes a connection that sends an oversized frame (1009), and keeps serving others', async () => {
    const client = await connect();
    const other = await connect();
    client.send({ event: 'ping', data: 'x'.repeat(64 * 1024) });
    expect((await client.waitClosed()).code).toBe(1009);
    other.send({ event: 'ping' });
    await other.next((f) => f.event === 'pong');
  });

  it('drops a client that stops answering pings', async () => {
    const client = await connect({ autoPong: false });
    const closed = await client.waitClosed(5_000);
    expect(closed.code).toBe(1006); // terminated without a close frame
  });
});

describe('WebSocket /ws/items with a slow reader', () => {
  let t: TestApp;

  beforeAll(async () => {
    // a long heartbeat, so the slow reader is not dropped as dead first
    t = await startTestApp({ WS_HEARTBEAT_MS: '60000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('disconnects a client too slow to read (close code 4008) instead of buffering without bound', async () => {
    const slow = await TestWsClient.connect(t.baseUrl);
    const socket = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    // stop reading: the server's send buffer grows once the kernel buffers are full
    socket.pause();
    const description = 'd'.repeat(5000);
    for (let round = 0; round < 60 && !slow.closed; round++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.http.post('/products').send({ name: `bulk ${round}-${i}`, price: 1, description }),
        ),
      );
    }
    socket.resume();
    expect((await slow.waitClosed()).code).toBe(4008);
  });
});
