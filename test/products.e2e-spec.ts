import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

describe('Products REST API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM products');
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/products').send(body);
    expect(res.status).toBe(201);
    return res.body as { id: number; external_id: string | null; updated_at: string };
  };

  describe('POST /products', () => {
    it('creates a product with defaults, snake_case fields and ISO UTC timestamps', async () => {
      const res = await t.http.post('/products').send({ name: 'Mascara', price: 9.99 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'Mascara',
        description: '',
        price: 9.99,
        external_id: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: res.body.created_at,
      });
      const again = await t.http.get(`/products/${res.body.id}`);
      expect(again.body).toEqual(res.body);
    });

    it('stores a numeric external_id as its decimal string', async () => {
      const product = await create({ name: 'A', price: 1, external_id: 42 });
      expect(product.external_id).toBe('42');
    });

    it('answers 409 when external_id is taken, and keeps one row', async () => {
      await create({ name: 'A', price: 1, external_id: 'abc' });
      const res = await t.http.post('/products').send({ name: 'B', price: 2, external_id: 'abc' });
      expectErrorShape(res, 409);
      expect(res.body.message).toContain('abc');
      const list = await t.http.get('/products').query({ external_id: 'abc' });
      expect(list.body).toHaveLength(1);
    });

    it('rejects unknown fields and reports one problem per field', async () => {
      const res = await t.http.post('/products').send({ name: 7, price: 'x', color: 'red' });
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          'property color should not exist',
          'name must be a string',
          'price must be a number',
        ]),
      );
      expect(res.body.message).toHaveLength(3);
    });

    it('rejects malformed JSON with 400', async () => {
      const res = await t.http
        .post('/products')
        .set('Content-Type', 'application/json')
        .send('{"name": "A",');
      expectErrorShape(res, 400);
    });

    it('rejects a body that is not JSON with 415', async () => {
      const res = await t.http.post('/products').set('Content-Type', 'text/plain').send('name=A');
      expectErrorShape(res, 415);
    });

    it('works with a trailing slash', async () => {
      const res = await t.http.post('/products/').send({ name: 'A', price: 0 });
      expect(res.status).toBe(201);
    });
  });

  describe('GET /products', () => {
    beforeEach(async () => {
      for (const [name, price, external_id] of [
        ['Red Lipstick', 12.5, '1'],
        ['Blue Mascara', 3, '2'],
        ['lipstick 100%_pure', 7, null],
        ['Green Apple', 1, '3'],
      ] as const) {
        await create({ name, price, external_id });
      }
    });

    it('lists every product in id order with X-Total-Count', async () => {
      const res = await t.http.get('/products/');
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('4');
      expect(res.body.map((p: { name: string }) => p.name)).toEqual([
        'Red Lipstick',
        'Blue Mascara',
        'lipstick 100%_pure',
        'Green Apple',
      ]);
    });

    it('paginates with limit and offset while X-Total-Count counts all matches', async () => {
      const res = await t.http.get('/products').query({ limit: 2, offset: 1 });
      expect(res.headers['x-total-count']).toBe('4');
      expect(res.body.map((p: { name: string }) => p.name)).toEqual([
        'Blue Mascara',
        'lipstick 100%_pure',
      ]);
    });

    it('filters by q as a case-insensitive substring, with % and _ taken literally', async () => {
      const res = await t.http.get('/products').query({ q: 'LIPSTICK' });
      expect(res.body.map((p: { name: string }) => p.name)).toEqual([
        'Red Lipstick',
        'lipstick 100%_pure',
      ]);
      const literal = await t.http.get('/products').query({ q: '%_' });
      expect(literal.body.map((p: { name: string }) => p.name)).toEqual(['lipstick 100%_pure']);
      const none = await t.http.get('/products').query({ q: '_' + 'x' });
      expect(none.body).toEqual([]);
      expect(none.headers['x-total-count']).toBe('0');
    });

    it('filters by external_id', async () => {
      const res = await t.http.get('/products').query({ external_id: '2' });
      expect(res.body.map((p: { name: string }) => p.name)).toEqual(['Blue Mascara']);
    });

    it('sorts by a whitelisted key, descending with a - prefix', async () => {
      const asc = await t.http.get('/products').query({ sort: 'price' });
      expect(asc.body.map((p: { price: number }) => p.price)).toEqual([1, 3, 7, 12.5]);
      const desc = await t.http.get('/products').query({ sort: '-price' });
      expect(desc.body.map((p: { price: number }) => p.price)).toEqual([12.5, 7, 3, 1]);
      const byId = await t.http.get('/products').query({ sort: '-id' });
      expect(byId.body[0].name).toBe('Green Apple');
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 1001 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ sort: 'description' }, 'sort'],
      [{ sort: 'id;drop table products' }, 'sort'],
      [{ color: 'red' }, 'color'],
    ])('answers 400 for the query %j', async (query, field) => {
      const res = await t.http.get('/products').query(query);
      expectErrorShape(res, 400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });
  });

  describe('GET /products/{id}', () => {
    it('answers 404 for an unknown id', async () => {
      const res = await t.http.get('/products/999999');
      expectErrorShape(res, 404);
      expect(res.body.message).toBe('product 999999 not found');
      expect(res.body.path).toBe('/products/999999');
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999', '1e3'])(
      'answers 400 for the id %s',
      async (id) => {
        const res = await t.http.get(`/products/${id}`);
        expectErrorShape(res, 400);
        expect(res.body.message).toContain('positive integer');
      },
    );
  });

  describe('PUT /products/{id}', () => {
    it('replaces the whole product: omitted fields return to their defaults', async () => {
      const p = await create({ name: 'A', price: 1, description: 'old', external_id: 'x1' });
      const res = await t.http.put(`/products/${p.id}/`).send({ name: 'B', price: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: p.id,
        name: 'B',
        price: 2,
        description: '',
        external_id: null,
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(p.updated_at));
    });

    it('requires name and price', async () => {
      const p = await create({ name: 'A', price: 1 });
      const res = await t.http.put(`/products/${p.id}`).send({ name: 'B' });
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual(['price must be a number']);
    });

    it('answers 404 for an unknown id and 409 for a taken external_id', async () => {
      expectErrorShape(await t.http.put('/products/424242').send({ name: 'B', price: 2 }), 404);
      await create({ name: 'A', price: 1, external_id: 'taken' });
      const p = await create({ name: 'B', price: 1 });
      expectErrorShape(
        await t.http.put(`/products/${p.id}`).send({ name: 'B', price: 2, external_id: 'taken' }),
        409,
      );
    });
  });

  describe('PATCH /products/{id}', () => {
    it('changes only the given fields', async () => {
      const p = await create({ name: 'A', price: 1, description: 'keep', external_id: 'k' });
      const res = await t.http.patch(`/products/${p.id}`).send({ price: 5 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'A',
        price: 5,
        description: 'keep',
        external_id: 'k',
      });
    });

    it('may clear external_id with null, and keeps its own external_id without a conflict', async () => {
      const p = await create({ name: 'A', price: 1, external_id: 'mine' });
      const same = await t.http
        .patch(`/products/${p.id}`)
        .send({ external_id: 'mine', name: 'A2' });
      expect(same.status).toBe(200);
      const cleared = await t.http.patch(`/products/${p.id}`).send({ external_id: null });
      expect(cleared.body.external_id).toBeNull();
    });

    it('rejects null for a required field, and a taken external_id', async () => {
      const p = await create({ name: 'A', price: 1 });
      const res = await t.http.patch(`/products/${p.id}`).send({ name: null });
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual(['name must be a string']);
      await create({ name: 'B', price: 1, external_id: 'other' });
      expectErrorShape(await t.http.patch(`/products/${p.id}`).send({ external_id: 'other' }), 409);
    });

    it('answers 404 for an unknown id', async () => {
      expectErrorShape(await t.http.patch('/products/424242').send({ price: 1 }), 404);
    });
  });

  describe('DELETE /products/{id}', () => {
    it('deletes with 204, then answers 404', async () => {
      const p = await create({ name: 'A', price: 1 });
      const res = await t.http.delete(`/products/${p.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectErrorShape(await t.http.get(`/products/${p.id}`), 404);
      expectErrorShape(await t.http.delete(`/products/${p.id}`), 404);
    });
  });

  describe('request ids', () => {
    it('echoes the caller X-Request-Id on success and in errors', async () => {
      const ok = await t.http.get('/products').set('X-Request-Id', 'trace-123');
      expect(ok.headers['x-request-id']).toBe('trace-123');
      const err = await t.http.get('/products/0').set('X-Request-Id', 'trace-456');
      expect(err.body.request_id).toBe('trace-456');
    });

    it('makes one when none (or an unsafe one) is given', async () => {
      const res = await t.http.get('/products').set('X-Request-Id', 'bad id\twith spaces');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('Swagger', () => {
    it('serves the UI at /docs and the document at /docs-json with the products paths and error schema', async () => {
      const ui = await t.http.get('/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
      const doc = await t.http.get('/docs-json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/products', '/products/{id}']),
      );
      expect(
        doc.body.paths['/products/{id}'].get.responses['404'].content['application/json'].schema
          .$ref,
      ).toBe('#/components/schemas/ErrorResponseDto');
      expect(doc.body.components.schemas.CreateProductDto.properties.price.example).toBe(9.99);
    });
  });
});
