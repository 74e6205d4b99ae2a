import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

/** One raw request (supertest would re-encode the path and body). */
function raw(
  t: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  const url = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Runs in every e2e pass: what it asserts is the product's behaviour on either HTTP_ADAPTER.
describe(`The HTTP layer on ${process.env.HTTP_ADAPTER || 'express'}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ API_KEYS: '', ALLOW_ANONYMOUS_WRITES: 'false' });
  });
  afterAll(() => t.close());

  it('accepts a gzip-compressed JSON body, inflated', async () => {
    const body = gzipSync(JSON.stringify({ name: 'zipped', price: 2 }));
    const res = await raw(
      t,
      'POST',
      '/products',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'zipped', price: 2 });
  });

  it('refuses an unknown content encoding and a charset other than UTF-8 with 415', async () => {
    const encoded = await t.http
      .post('/products')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'rot13')
      .send('{"name":"a","price":1}');
    expectErrorShape(encoded, 415);
    const latin = await t.http
      .post('/products')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"name":"a","price":1}');
    expectErrorShape(latin, 415);
    expect(latin.body.message).toBe('unsupported charset "LATIN1"');
  });

  it('takes only an object or an array as a JSON body, and an empty one as no body', async () => {
    const text = await t.http.post('/products').set('Content-Type', 'application/json').send('"a"');
    expectErrorShape(text, 400);
    expect(text.body.message).toBe('request body is not valid JSON');
    const cut = await t.http
      .post('/products')
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expectErrorShape(cut, 400);
    expect(cut.body.message).toBe('request body is not valid JSON');
    const big = await t.http
      .post('/products')
      .send({ name: 'big', price: 1, description: 'x'.repeat(2 * 1024 * 1024) });
    expectErrorShape(big, 413);
    expect(big.body.message).toBe('request body is larger than the limit');
    const empty = await t.http.post('/products').set('Content-Type', 'application/json');
    expectErrorShape(empty, 400);
  });

  it('routes as Express does: a trailing slash and the case of the path do not matter', async () => {
    await t.http.post('/products').send({ name: 'routed', price: 1 }).expect(201);
    for (const path of ['/products/', '/PRODUCTS', '/Products/?limit=1']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
    }
  });

  it('answers a URL that does not decode with 400 in the error shape, with its request id', async () => {
    const res = await raw(t, 'GET', '/products/%zz', { 'x-request-id': 'bad-url-1' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, request_id: 'bad-url-1' });
    expect(res.headers['x-request-id']).toBe('bad-url-1');
    expect(res.headers['content-security-policy']).toEqual(expect.any(String));
  });

  it('sends the security headers and no framework banner', async () => {
    const res = await t.http.get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
