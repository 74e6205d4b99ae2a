import { connect, JSONCodec, NatsConnection } from 'nats';
import { TestNatsServer, untilAnswering } from './helpers/nats-server';
import { expectErrorShape } from './helpers/error-shape';
import { parsePrometheus } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';

const codec = JSONCodec();
const DEPTH_MESSAGE = 'request body must not nest deeper than 32 levels';

/** `{"x":{"x":…1}}` with `levels` objects, as text: built by hand, since it is what a client sends. */
function nested(levels: number): string {
  return '{"x":'.repeat(levels) + '1' + '}'.repeat(levels);
}

/** A product body whose `x` field nests so that the whole body is `levels` deep. */
const productBody = (levels: number) => `{"name":"deep","price":1,"x":${nested(levels - 1)}}`;

describe('Nesting depth of request bodies and NATS payloads', () => {
  let nats: TestNatsServer;
  let t: TestApp;
  let plain: NatsConnection;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    t = await startTestApp({ NATS_URL: nats.url });
    plain = await connect({ servers: nats.url });
    await untilAnswering(plain, 'products.list', {});
  });
  afterAll(async () => {
    await plain.close();
    await t.close();
    await nats.stop();
  });

  const post = (path: string, body: string) =>
    t.http.post(path).set('Content-Type', 'application/json').send(body);

  it('answers 400 to a 5,000-deep body on POST /products, PATCH /products/{id} and POST /items', async () => {
    for (const res of [
      await post('/products', productBody(5000)),
      await t.http
        .patch('/products/1')
        .set('Content-Type', 'application/json')
        .send(`{"x":${nested(4999)}}`),
      await post('/items', `{"code":"EUR","base":"USD","rate":1,"x":${nested(4999)}}`),
    ]) {
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual([DEPTH_MESSAGE]);
    }
    // an array nested as deep is not a body at all
    const arrays = await post('/products', '['.repeat(5000) + ']'.repeat(5000));
    expectErrorShape(arrays, 400);
    expect((await t.http.get('/products').expect(200)).body).toEqual([]);
  });

  it('refuses 33 levels for depth and leaves 32 to the usual validation', async () => {
    const deep = await post('/products', productBody(33));
    expectErrorShape(deep, 400);
    expect(deep.body.message).toEqual([DEPTH_MESSAGE]);

    const limit = await post('/products', productBody(32));
    expectErrorShape(limit, 400);
    expect(limit.body.message).toEqual(['property x should not exist']);
  });

  it('answers a 5,000-deep NATS request payload with a 400 error, not a 500', async () => {
    for (const subject of ['products.list', 'products.get', 'items.list']) {
      const reply = await plain.request(
        subject,
        new TextEncoder().encode(`{"limit":1,"x":${nested(4999)}}`),
        { timeout: 5000 },
      );
      expect(codec.decode(reply.data)).toMatchObject({ statusCode: 400, message: [DEPTH_MESSAGE] });
    }
  });

  it('answered no request with a 5xx', async () => {
    const samples = parsePrometheus((await t.http.get('/metrics').expect(200)).text);
    const errors = samples.filter(
      (s) => s.name === 'http_request_duration_seconds_count' && s.labels.status?.startsWith('5'),
    );
    expect(errors).toEqual([]);
  });
});
