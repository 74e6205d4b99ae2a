import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

describe('Items (currency rates) REST API', () => {
  let t: TestApp;

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

  const create = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/items').send(body);
    expect(res.status).toBe(201);
    return res.body as { id: number; rate: number };
  };

  it('creates an item with source manual by default, and reads it back', async () => {
    const res = await t.http.post('/items/').send({ code: 'EUR', base: 'USD', rate: 0.92 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      code: 'EUR',
      base: 'USD',
      rate: 0.92,
      source: 'manual',
      created_at: expect.stringMatching(/Z$/),
      updated_at: res.body.created_at,
    });
    expect((await t.http.get(`/items/${res.body.id}`)).body).toEqual(res.body);
  });

  it('answers 409 on a taken (base, code) pair', async () => {
    await create({ code: 'EUR', base: 'USD', rate: 0.92 });
    const res = await t.http
      .post('/items')
      .send({ code: 'EUR', base: 'USD', rate: 0.95, source: 'manual' });
    expectErrorShape(res, 409);
    expect((await t.http.get('/items')).body).toHaveLength(1);
  });

  it.each([
    [{ code: 'eur', base: 'USD', rate: 1 }, 'code must be 2 to 10 upper-case letters or digits'],
    [{ code: 'EUR', base: 'U', rate: 1 }, 'base must be 2 to 10 upper-case letters or digits'],
    [{ code: 'EUR', base: 'USD', rate: 0 }, 'rate must be > 0'],
    [{ code: 'EUR', base: 'USD', rate: -1 }, 'rate must be > 0'],
    [{ code: 'EUR', base: 'USD', rate: '1' }, 'rate must be a number'],
    [{ code: 'EUR', base: 'USD' }, 'rate must be a number'],
    [{ code: 'EUR', base: 'USD', rate: 1, source: 'bank' }, 'source must be manual'],
    [{ code: 'EUR', base: 'USD', rate: 1, extra: 1 }, 'property extra should not exist'],
  ])('refuses %j with 400', async (body, message) => {
    const res = await t.http.post('/items').send(body);
    expectErrorShape(res, 400);
    expect((res.body.message as string[]).join('; ')).toContain(message);
  });

  it('filters by base, code and source, paginates, and counts', async () => {
    await create({ code: 'EUR', base: 'USD', rate: 0.92 });
    // provider sources are the sync's alone: these rows are as a sync left them
    const now = new Date();
    await t.dataSource.getRepository('Item').insert([
      { code: 'GBP', base: 'USD', rate: 0.79, source: 'fiat', createdAt: now, updatedAt: now },
      { code: 'BTC', base: 'USDT', rate: 67000, source: 'crypto', createdAt: now, updatedAt: now },
    ]);
    const usd = await t.http.get('/items').query({ base: 'USD' });
    expect(usd.body.map((i: { code: string }) => i.code)).toEqual(['EUR', 'GBP']);
    expect(usd.headers['x-total-count']).toBe('2');
    expect((await t.http.get('/items').query({ code: 'BTC' })).body).toHaveLength(1);
    expect((await t.http.get('/items').query({ source: 'fiat' })).body[0].code).toBe('GBP');
    const page = await t.http.get('/items').query({ limit: 1, offset: 1 });
    expect(page.body.map((i: { code: string }) => i.code)).toEqual(['GBP']);
    expect(page.headers['x-total-count']).toBe('3');
    expectErrorShape(await t.http.get('/items').query({ base: 'usd' }), 400);
    expectErrorShape(await t.http.get('/items').query({ source: 'x' }), 400);
  });

  it('PATCH changes the given fields; a rate change appends history, newest first', async () => {
    const item = await create({ code: 'EUR', base: 'USD', rate: 0.9 });
    await t.http.patch(`/items/${item.id}`).send({ rate: 0.91 }).expect(200);
    const renamed = await t.http.patch(`/items/${item.id}`).send({ code: 'EUX' });
    expect(renamed.body).toMatchObject({ code: 'EUX', base: 'USD', rate: 0.91 });
    await t.http.patch(`/items/${item.id}`).send({ rate: 0.93 }).expect(200);
    const history = await t.http.get(`/items/${item.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.map((p: { rate: number }) => p.rate)).toEqual([0.93, 0.91, 0.9]);
    expect(history.body[0]).toEqual({
      rate: 0.93,
      source: 'manual',
      recorded_at: expect.stringMatching(/Z$/),
    });
    const limited = await t.http.get(`/items/${item.id}/history`).query({ limit: 2 });
    expect(limited.body).toHaveLength(2);
    const future = await t.http
      .get(`/items/${item.id}/history`)
      .query({ since: '2999-01-01T00:00:00Z' });
    expect(future.body).toEqual([]);
    const since = await t.http
      .get(`/items/${item.id}/history`)
      .query({ since: history.body[1].recorded_at });
    expect(since.body.map((p: { rate: number }) => p.rate)).toEqual([0.93, 0.91]);
  });

  it('PATCH refuses null, bad values, a taken pair, and unknown ids', async () => {
    const a = await create({ code: 'EUR', base: 'USD', rate: 0.9 });
    await create({ code: 'GBP', base: 'USD', rate: 0.8 });
    expectErrorShape(await t.http.patch(`/items/${a.id}`).send({ rate: null }), 400);
    expectErrorShape(await t.http.patch(`/items/${a.id}`).send({ source: 'fiat' }), 400);
    expectErrorShape(await t.http.patch(`/items/${a.id}`).send({ code: 'GBP' }), 409);
    expectErrorShape(await t.http.patch('/items/999999').send({ rate: 1 }), 404);
    expectErrorShape(await t.http.patch('/items/abc').send({ rate: 1 }), 400);
  });

  it('DELETE removes the item and its history', async () => {
    const item = await create({ code: 'EUR', base: 'USD', rate: 0.9 });
    expect((await t.http.delete(`/items/${item.id}`)).status).toBe(204);
    expectErrorShape(await t.http.get(`/items/${item.id}`), 404);
    expectErrorShape(await t.http.get(`/items/${item.id}/history`), 404);
    expectErrorShape(await t.http.delete(`/items/${item.id}`), 404);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM item_history');
    expect(Number(n)).toBe(0);
  });

  it('answers 400 for bad ids and history queries', async () => {
    expectErrorShape(await t.http.get('/items/0'), 400);
    const item = await create({ code: 'EUR', base: 'USD', rate: 0.9 });
    expectErrorShape(
      await t.http.get(`/items/${item.id}/history`).query({ since: 'yesterday' }),
      400,
    );
    expectErrorShape(await t.http.get(`/items/${item.id}/history`).query({ limit: 0 }), 400);
  });
});

describe('Rate history at scale', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads the newest 1,000 points of one item out of 100,000 through the index, fast', async () => {
    const items = await Promise.all(
      ['AAA', 'BBB', 'CCC', 'DDD'].map(
        async (code) =>
          (await t.http.post('/items').send({ code, base: 'USD', rate: 1 })).body.id as number,
      ),
    );
    const start = Date.now() - 100_000 * 1000;
    const repo = t.dataSource.getRepository('RateHistory');
    for (let i = 0; i < 100_000; i += 5000) {
      await repo.insert(
        Array.from({ length: 5000 }, (_, j) => ({
          itemId: items[(i + j) % items.length],
          rate: 1 + ((i + j) % 97) / 100,
          source: 'mock',
          recordedAt: new Date(start + (i + j) * 1000),
        })),
      );
    }
    const sqlite = t.dataSource.options.type === 'sqlite';
    if (!sqlite) {
      // a bulk load leaves no statistics yet; autovacuum would gather them in production
      await t.dataSource.query('ANALYZE item_history');
    }
    const plan: { detail?: string; 'QUERY PLAN'?: string }[] = await t.dataSource.query(
      sqlite
        ? 'EXPLAIN QUERY PLAN SELECT * FROM item_history WHERE item_id = ? ORDER BY recorded_at DESC, id DESC LIMIT 1000'
        : 'EXPLAIN SELECT * FROM item_history WHERE item_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1000',
      [items[1]],
    );
    const text = plan.map((row) => row.detail ?? row['QUERY PLAN']).join('\n');
    expect(text).toContain('IDX_item_history_item_recorded');
    expect(text).not.toMatch(/TEMP B-TREE|Sort/); // ordered by the index, no sort step

    const began = Date.now();
    const res = await t.http.get(`/items/${items[1]}/history`).query({ limit: 1000 });
    const took = Date.now() - began;
    expect(res.body).toHaveLength(1000);
    const times = res.body.map((p: { recorded_at: string }) => Date.parse(p.recorded_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(took).toBeLessThan(1000);
  }, 120_000);
});
