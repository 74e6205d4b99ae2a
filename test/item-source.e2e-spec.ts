import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

const PROVIDER_SOURCES = ['fiat', 'crypto', 'mock'];

describe('Clients cannot claim a provider source: POST/PATCH /items take only manual', () => {
  let t: TestApp;
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM item_history');
    await t.dataSource.query('DELETE FROM items');
  });

  it.each(PROVIDER_SOURCES)('POST with source %s → 400, nothing written', async (source) => {
    const outboxBefore = await count('outbox');
    const res = await t.http.post('/items').send({ code: 'EUR', base: 'USD', rate: 0.9, source });
    expectErrorShape(res, 400);
    expect(res.body.message).toEqual([
      expect.stringMatching(
        /^source must be manual \(fiat, crypto, mock.* are set by the rates sync only\)$/,
      ),
    ]);
    expect(await count('items')).toBe(0);
    expect(await count('item_history')).toBe(0);
    expect(await count('outbox')).toBe(outboxBefore);
  });

  it('POST with source manual, or none, → 201 with source manual', async () => {
    const explicit = await t.http
      .post('/items')
      .send({ code: 'EUR', base: 'USD', rate: 0.9, source: 'manual' });
    expect(explicit.status).toBe(201);
    expect(explicit.body.source).toBe('manual');
    const omitted = await t.http.post('/items').send({ code: 'GBP', base: 'USD', rate: 0.8 });
    expect(omitted.status).toBe(201);
    expect(omitted.body.source).toBe('manual');
  });

  it('PATCH with a provider source → 400 and the item unchanged; manual → 200', async () => {
    // as a sync left it
    const now = new Date();
    await t.dataSource.getRepository('Item').insert({
      code: 'EUR',
      base: 'USD',
      rate: 0.9,
      source: 'fiat',
      createdAt: now,
      updatedAt: now,
    });
    const [{ id }] = await t.dataSource.query('SELECT id FROM items');
    const before = (await t.http.get(`/items/${id}`)).body;
    for (const source of [...PROVIDER_SOURCES, 'MANUAL', '', null]) {
      const res = await t.http.patch(`/items/${id}`).send({ rate: 0.95, source });
      expectErrorShape(res, 400);
      expect(res.body.message[0]).toMatch(/^source must be manual/);
    }
    expect((await t.http.get(`/items/${id}`)).body).toEqual(before);
    expect(await count('item_history')).toBe(0);

    const rate = await t.http.patch(`/items/${id}`).send({ rate: 0.95 });
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({ rate: 0.95, source: 'manual' });

    await t.dataSource.query("UPDATE items SET source = 'fiat'");
    const claimed = await t.http.patch(`/items/${id}`).send({ source: 'manual' });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ rate: 0.95, source: 'manual' });
    expect((await t.http.get(`/items/${id}`)).body.source).toBe('manual');
  });
});
