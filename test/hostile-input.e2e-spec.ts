import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

type Case = [
  label: string,
  send: (t: TestApp, id: number) => Promise<import('supertest').Response>,
];

const json = (t: TestApp, method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
  t.http[method](path).set('Content-Type', 'application/json').send(JSON.stringify(body));

const cases: Case[] = [
  ['name as a number', (t) => json(t, 'post', '/products', { name: 1, price: 1 })],
  ['name as an object', (t) => json(t, 'post', '/products', { name: { $gt: '' }, price: 1 })],
  ['price as a string', (t) => json(t, 'post', '/products', { name: 'a', price: '1' })],
  ['price as a boolean', (t) => json(t, 'post', '/products', { name: 'a', price: true })],
  ['negative price', (t) => json(t, 'post', '/products', { name: 'a', price: -0.01 })],
  [
    'huge price exponent',
    (t) =>
      t.http
        .post('/products')
        .set('Content-Type', 'application/json')
        .send('{"name":"a","price":1e999}'),
  ],
  ['empty name', (t) => json(t, 'post', '/products', { name: '', price: 1 })],
  ['256-char name', (t) => json(t, 'post', '/products', { name: 'x'.repeat(256), price: 1 })],
  [
    '100 kB description',
    (t) => json(t, 'post', '/products', { name: 'a', price: 1, description: 'd'.repeat(100_000) }),
  ],
  [
    'external_id with a slash',
    (t) => json(t, 'post', '/products', { name: 'a', price: 1, external_id: '../admin' }),
  ],
  [
    'external_id with a query',
    (t) => json(t, 'post', '/products', { name: 'a', price: 1, external_id: '1?x=2' }),
  ],
  [
    'external_id as a float',
    (t) => json(t, 'post', '/products', { name: 'a', price: 1, external_id: 1.5 }),
  ],
  [
    'external_id as an array',
    (t) => json(t, 'post', '/products', { name: 'a', price: 1, external_id: [1] }),
  ],
  ['unknown field', (t) => json(t, 'post', '/products', { name: 'a', price: 1, id: 5 })],
  [
    'prototype pollution',
    (t) =>
      t.http
        .post('/products')
        .set('Content-Type', 'application/json')
        .send('{"name":"a","price":1,"__proto__":{"x":1}}'),
  ],
  [
    'JSON null body',
    (t) => t.http.post('/products').set('Content-Type', 'application/json').send('null'),
  ],
  ['JSON array body', (t) => json(t, 'post', '/products', [{ name: 'a', price: 1 }])],
  [
    'JSON string body',
    (t) => t.http.post('/products').set('Content-Type', 'application/json').send('"a"'),
  ],
  [
    'malformed JSON',
    (t) => t.http.post('/products').set('Content-Type', 'application/json').send('{"name":'),
  ],
  ['form-encoded body', (t) => t.http.post('/products').type('form').send('name=a&price=1')],
  [
    '2 MB body',
    (t) =>
      json(t, 'post', '/products', {
        name: 'a',
        price: 1,
        description: 'x'.repeat(2 * 1024 * 1024),
      }),
  ],
  ['PUT without price', (t, id) => json(t, 'put', `/products/${id}`, { name: 'b' })],
  [
    'PUT with a negative price',
    (t, id) => json(t, 'put', `/products/${id}`, { name: 'b', price: -5 }),
  ],
  ['PATCH with null price', (t, id) => json(t, 'patch', `/products/${id}`, { price: null })],
  [
    'PATCH with a wrong-typed description',
    (t, id) => json(t, 'patch', `/products/${id}`, { description: 42 }),
  ],
  ['PATCH on a non-numeric id', (t) => json(t, 'patch', '/products/abc', { price: 1 })],
  ['DELETE on a non-numeric id', (t) => t.http.delete('/products/1%20OR%201=1')],
  ['DELETE on a negative id', (t) => t.http.delete('/products/-1')],
  ['GET on an overflowing id', (t) => t.http.get('/products/2147483648')],
  ['GET with sort injection', (t) => t.http.get('/products?sort=id;drop%20table%20products')],
  ['GET with sort on a non-whitelisted column', (t) => t.http.get('/products?sort=description')],
  ['GET with repeated limit', (t) => t.http.get('/products?limit=1&limit=2')],
  ['GET with an array q', (t) => t.http.get('/products?q=a&q=b')],
  ['GET with a huge offset', (t) => t.http.get('/products?offset=1e308')],
  ['GET with a 300-char q', (t) => t.http.get(`/products?q=${'z'.repeat(300)}`)],
];

describe('Hostile input', () => {
  let t: TestApp;
  let id: number;
  const snapshot = () => t.dataSource.query('SELECT * FROM products ORDER BY id');

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 3; i++) {
      const res = await t.http
        .post('/products')
        .send({ name: `keep${i}`, price: i, external_id: `k${i}` });
      id = res.body.id;
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(cases)(
    '%s: a 4xx with the error shape, never a 500, and the table unchanged',
    async (_label, send) => {
      const before = await snapshot();
      const res = await send(t, id);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectErrorShape(res, res.status);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('a 2 MB body is refused as 413', async () => {
    const res = await json(t, 'post', '/products', {
      name: 'a',
      price: 1,
      description: 'x'.repeat(2 * 1024 * 1024),
    });
    expectErrorShape(res, 413);
  });

  it('the service still answers normally afterwards', async () => {
    const res = await t.http.get(`/products/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('keep2');
  });
});
