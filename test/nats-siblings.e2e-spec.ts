import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { TestNatsServer, untilAnswering } from './helpers/nats-server';
import { freePort, SpawnedApp, spawnApp, waitForHttp } from './helpers/spawn-app';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

const codec = JSONCodec();

describe('Sibling services over NATS', () => {
  let nats: TestNatsServer;
  let t: TestApp;
  let nest: ClientProxy;
  let plain: NatsConnection;
  let productId: number;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    t = await startTestApp({ NATS_URL: nats.url });
    nest = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [nats.url] },
    });
    await nest.connect();
    plain = await connect({ servers: nats.url });
    productId = (await t.http.post('/products').send({ name: 'shared', price: 4 })).body.id;
    await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9 }).expect(201);
    await t.http.post('/items').send({ code: 'BTC', base: 'USDT', rate: 60000 }).expect(201);
    // the microservice subscribes in the background: wait until it answers
    await untilAnswering(plain, 'products.get', { id: productId });
  });
  afterAll(async () => {
    await nest.close();
    await plain.close();
    await t.close();
    await nats.stop();
  });

  it('a Nest ClientProxy gets a product and a filtered list of items', async () => {
    const product = await firstValueFrom(nest.send('products.get', { id: productId }));
    expect(product).toMatchObject({ id: productId, name: 'shared', price: 4 });
    const items = await firstValueFrom(nest.send('items.list', { base: 'USD' }));
    expect(items.map((i: { code: string }) => i.code)).toEqual(['EUR']);
  });

  it('a plain NATS request() with a JSON body gets the bare JSON answer', async () => {
    const reply = await plain.request('products.get', codec.encode({ id: productId }), {
      timeout: 2000,
    });
    expect(codec.decode(reply.data)).toMatchObject({ id: productId, name: 'shared' });
    const list = await plain.request('items.list', codec.encode({ code: 'BTC' }), {
      timeout: 2000,
    });
    expect(codec.decode(list.data)).toEqual([
      expect.objectContaining({ code: 'BTC', base: 'USDT', rate: 60000 }),
    ]);
    const products = await plain.request('products.list', codec.encode({ q: 'SHA', limit: 5 }), {
      timeout: 2000,
    });
    expect((codec.decode(products.data) as { id: number }[]).map((p) => p.id)).toEqual([productId]);
  });

  it('validates as REST does: errors carry statusCode and message, for both kinds of sibling', async () => {
    await expect(firstValueFrom(nest.send('products.get', { id: 'abc' }))).rejects.toMatchObject({
      statusCode: 400,
      message: ['id must be a positive integer'],
    });
    await expect(firstValueFrom(nest.send('items.get', { id: 999999 }))).rejects.toMatchObject({
      statusCode: 404,
      message: 'item 999999 not found',
    });
    const reply = await plain.request(
      'products.fetch_external',
      codec.encode({ external_ids: ['../admin'] }),
      { timeout: 2000 },
    );
    expect(codec.decode(reply.data)).toMatchObject({ statusCode: 400 });
  });
});

describe('Two instances on one database and one NATS', () => {
  let nats: TestNatsServer;
  let a: TestApp;
  let b: SpawnedApp;
  let bHttp: ReturnType<typeof request>;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    a = await startTestApp({ NATS_URL: nats.url });
    // B is a second process of the built app, as a second instance behind a load balancer would be
    b = spawnApp({ DATABASE_URL: a.database.url, NATS_URL: nats.url }, await freePort());
    await waitForHttp(`${b.baseUrl}/health`, 20_000, b);
    bHttp = request(b.baseUrl);
  });
  afterAll(async () => {
    await b.stop();
    await a.close();
    await nats.stop();
  });

  it('a WebSocket client on A receives a change made through B exactly once; malformed NATS messages are dropped', async () => {
    const onA = await TestWsClient.connect(a.baseUrl);
    const onB = await TestWsClient.connect(b.baseUrl);
    try {
      const nc = await connect({ servers: nats.url });
      nc.publish('items.updates', 'not json at all');
      nc.publish('items.updates', codec.encode({ event: 'item.created' }));
      await nc.flush();
      await nc.close();

      // the fan-out subscription connects in the background: retry a marker change until A sees one
      const marker = await pollUntil(
        async () => {
          await bHttp.post('/items').send({ code: `M${Date.now() % 1e8}`, base: 'USD', rate: 1 });
          return onA.frames.some((f) => f.event === 'item.created');
        },
        (seen) => seen,
        { everyMs: 300, what: 'fan-out from B to A' },
      );
      expect(marker).toBe(true);

      const from = onA.frames.length;
      const fromB = onB.frames.length;
      const product = (await bHttp.post('/products').send({ name: 'from B', price: 1 })).body;
      await onA.next((f) => f.event === 'product.created' && f.payload?.id === product.id, from);
      await onB.next((f) => f.event === 'product.created' && f.payload?.id === product.id, fromB);
      // give a duplicate the time to arrive, then count
      await new Promise((resolve) => setTimeout(resolve, 500));
      const countOn = (c: TestWsClient, start: number) =>
        c.frames
          .slice(start)
          .filter((f) => f.event === 'product.created' && f.payload?.id === product.id).length;
      expect(countOn(onA, from)).toBe(1);
      expect(countOn(onB, fromB)).toBe(1);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
