import { startTestApp, TestApp } from './helpers/test-app';

describe('Products under concurrent writes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('50 concurrent POSTs and then 50 concurrent PUTs all succeed and leave consistent rows', async () => {
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http.post('/products').send({ name: `p${i}`, price: i, external_id: `c${i}` }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = created.map((r) => r.body.id as number);
    expect(new Set(ids).size).toBe(50);

    const replaced = await Promise.all(
      ids.map((id, i) =>
        t.http.put(`/products/${id}`).send({ name: `q${i}`, price: i * 2, external_id: `d${i}` }),
      ),
    );
    expect(replaced.map((r) => r.status)).toEqual(Array(50).fill(200));

    const rows: { name: string; price: number; external_id: string }[] = await t.dataSource.query(
      'SELECT name, price, external_id FROM products ORDER BY id',
    );
    const expected = ids
      .map((id, i) => ({ id, row: { name: `q${i}`, price: i * 2, external_id: `d${i}` } }))
      .sort((a, b) => a.id - b.id)
      .map(({ row }) => row);
    expect(rows).toEqual(expected);
  });

  it('mixed concurrent creates, patches and deletes never fail with a database error', async () => {
    const base = await t.http.post('/products').send({ name: 'base', price: 1 });
    const requests = Array.from({ length: 60 }, (_, i) => {
      switch (i % 3) {
        case 0:
          return t.http.post('/products').send({ name: `m${i}`, price: i });
        case 1:
          return t.http.patch(`/products/${base.body.id}`).send({ price: i });
        default:
          return t.http.get('/products').query({ limit: 5 });
      }
    });
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('two racing creates with the same external_id: one 201, one 409, one row', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http.post('/products').send({ name: 'race', price: 1, external_id: 'race-1' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM products WHERE external_id = 'race-1'`,
    );
    expect(Number(n)).toBe(1);
  });
});
