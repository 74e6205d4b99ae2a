import { JSONCodec, connect, NatsConnection } from 'nats';
import { expectErrorShape } from './helpers/error-shape';
import { historyRows } from './helpers/history-rows';
import { TestNatsServer, untilAnswering } from './helpers/nats-server';
import { startTestApp, TestApp } from './helpers/test-app';

const codec = JSONCodec();

interface Step {
  item_id: number;
  base: string;
  code: string;
  rate: number;
  inverted: boolean;
}

describe('GET /convert and rates.convert', () => {
  let nats: TestNatsServer;
  let t: TestApp;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    t = await startTestApp({ NATS_URL: nats.url });
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc.close();
    await t.close();
    await nats.stop();
  });
  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM item_history');
    await t.dataSource.query('DELETE FROM items');
  });

  const item = async (base: string, code: string, rate: number) => {
    const res = await t.http.post('/items').send({ base, code, rate });
    expect(res.status).toBe(201);
    return res.body as { id: number; updated_at: string };
  };
  const convert = (query: Record<string, string | number>) => t.http.get('/convert').query(query);
  const step = (id: number, base: string, code: string, rate: number, inverted: boolean): Step => ({
    item_id: id,
    base,
    code,
    rate,
    inverted,
  });

  it('converts through a direct item, with exact decimal products', async () => {
    const eur = await item('USD', 'EUR', 0.92);
    const before = Date.now();
    const res = await convert({ from: 'USD', to: 'EUR', amount: 0.1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: 'USD',
      to: 'EUR',
      amount: 0.1,
      rate: 0.92,
      result: 0.092, // 0.1 * 0.92 in doubles is 0.09200000000000001
      at: expect.any(String),
      path: [step(eur.id, 'USD', 'EUR', 0.92, false)],
    });
    expect(Date.parse(res.body.at)).toBeGreaterThanOrEqual(before - 1);
    expect((await convert({ from: 'USD', to: 'EUR' })).body).toMatchObject({
      amount: 1,
      result: 0.92,
    });
  });

  it('travels an item backwards (inverted) when only the inverse exists', async () => {
    const eur = await item('USD', 'EUR', 0.92);
    const res = await convert({ from: 'EUR', to: 'USD', amount: 46 });
    expect(res.status).toBe(200);
    expect(res.body.path).toEqual([step(eur.id, 'USD', 'EUR', 0.92, true)]);
    expect(res.body.rate).toBe(Number('1.0869565217391304347826086956521739'));
    expect(res.body.result).toBe(50);
  });

  it('chains two items through a third currency (EUR → USD → JPY)', async () => {
    const eur = await item('USD', 'EUR', 0.92);
    const jpy = await item('USD', 'JPY', 150);
    await item('GBP', 'CHF', 1.1); // unrelated
    const res = await convert({ from: 'EUR', to: 'JPY', amount: 250 });
    expect(res.status).toBe(200);
    expect(res.body.path).toEqual([
      step(eur.id, 'USD', 'EUR', 0.92, true),
      step(jpy.id, 'USD', 'JPY', 150, false),
    ]);
    expect(res.body.rate).toBe(Number('163.04347826086956521739130434782608'));
    expect(res.body.result).toBe(Number('40760.869565217391304347826086956521'));
  });

  it('chains three items at most, and answers 404 where a chain would need four', async () => {
    const ab = await item('AAA', 'BBB', 2);
    const cb = await item('CCC', 'BBB', 4);
    const cd = await item('CCC', 'DDD', 10);
    await item('DDD', 'EEE', 3);
    const res = await convert({ from: 'AAA', to: 'DDD', amount: 3 });
    expect(res.status).toBe(200);
    expect(res.body.path).toEqual([
      step(ab.id, 'AAA', 'BBB', 2, false),
      step(cb.id, 'CCC', 'BBB', 4, true),
      step(cd.id, 'CCC', 'DDD', 10, false),
    ]);
    expect(res.body).toMatchObject({ rate: 5, result: 15 });
    const far = await convert({ from: 'AAA', to: 'EEE' });
    expectErrorShape(far, 404);
    expect(far.body.message).toBe('no rate from AAA to EEE within 3 steps');
    await item('XXX', 'YYY', 1);
    expectErrorShape(await convert({ from: 'AAA', to: 'YYY' }), 404);
  });

  it('among chains of one length takes the one whose stalest item is freshest, following PATCHes', async () => {
    const usdEur = await item('USD', 'EUR', 0.9);
    const usdJpy = await item('USD', 'JPY', 150);
    const gbpEur = await item('GBP', 'EUR', 1.2);
    const gbpJpy = await item('GBP', 'JPY', 190);
    const stamps = [usdEur, usdJpy, gbpEur, gbpJpy].map((i) => Date.parse(i.updated_at));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(4);
    const via = async () =>
      ((await convert({ from: 'EUR', to: 'JPY' })).body.path as Step[]).map((s) => s.item_id);
    // USD's chain holds the stalest item (USD/EUR): GBP's wins
    expect(await via()).toEqual([gbpEur.id, gbpJpy.id]);
    await t.http.patch(`/items/${usdEur.id}`).send({ rate: 0.91 }).expect(200);
    // now USD/JPY is the stalest of all: GBP's still wins
    expect(await via()).toEqual([gbpEur.id, gbpJpy.id]);
    await t.http.patch(`/items/${usdJpy.id}`).send({ rate: 151 }).expect(200);
    // USD's chain now holds only the two freshest items
    expect(await via()).toEqual([usdEur.id, usdJpy.id]);
    expect((await convert({ from: 'EUR', to: 'JPY', amount: 91 })).body.result).toBe(15100);
  });

  it('answers rate 1 and an empty path when from = to; 404 for a currency no item has', async () => {
    await item('USD', 'EUR', 0.92);
    expect((await convert({ from: 'EUR', to: 'EUR', amount: 7 })).body).toMatchObject({
      rate: 1,
      result: 7,
      path: [],
    });
    const unknown = await convert({ from: 'USD', to: 'XYZ' });
    expectErrorShape(unknown, 404);
    expect(unknown.body.message).toBe('no item has the currency XYZ');
    expectErrorShape(await convert({ from: 'XYZ', to: 'XYZ' }), 404);
  });

  it('with `at` uses the rates in force then, from the history', async () => {
    const eur = await item('USD', 'EUR', 0.9);
    const jpy = await item('USD', 'JPY', 150);
    const rows = historyRows(t.dataSource);
    const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
    await rows.replace(eur.id, [
      { rate: 0.8, at: day('2026-01-01') },
      { rate: 0.85, at: day('2026-02-01') },
      { rate: 0.9, at: day('2026-03-01') },
    ]);
    // USD/JPY has no rate before Feb 15th
    await rows.replace(jpy.id, [{ rate: 150, at: day('2026-02-15') }]);
    const at = async (iso: string, from = 'USD', to = 'EUR') => convert({ from, to, at: iso });

    const before = await at('2025-12-31T23:59:59Z');
    expectErrorShape(before, 404);
    expect(before.body.message).toBe(
      'no rate from USD to EUR within 3 steps in force at 2025-12-31T23:59:59.000Z',
    );
    expect((await at('2026-01-15T12:00:00Z')).body).toMatchObject({
      rate: 0.8,
      at: '2026-01-15T12:00:00.000Z',
      path: [step(eur.id, 'USD', 'EUR', 0.8, false)],
    });
    // a point recorded exactly at `at` is in force
    expect((await at('2026-02-01T00:00:00.000Z')).body.rate).toBe(0.85);
    expect((await at('2026-02-28')).body.rate).toBe(0.85);
    expect((await at('2026-03-02')).body.rate).toBe(0.9);
    expectErrorShape(await at('2026-02-10', 'EUR', 'JPY'), 404);
    const between = await at('2026-02-20', 'EUR', 'JPY');
    expect(between.body.path).toEqual([
      step(eur.id, 'USD', 'EUR', 0.85, true),
      step(jpy.id, 'USD', 'JPY', 150, false),
    ]);
    expect(between.body.rate).toBe(Number('176.47058823529411764705882352941176'));
    expect((await convert({ from: 'EUR', to: 'JPY' })).body.rate).toBe(
      Number('166.66666666666666666666666666666666'),
    );
  });

  const bad: [Record<string, string>, string][] = [
    [{ from: 'usd', to: 'EUR' }, 'from must be 2 to 10 upper-case letters or digits'],
    [{ from: 'USD', to: 'eur' }, 'to must be 2 to 10 upper-case letters or digits'],
    [{ to: 'EUR' }, 'from must be 2 to 10 upper-case letters or digits'],
    [{ from: 'USD' }, 'to must be 2 to 10 upper-case letters or digits'],
    ...['0', '-1', '1e16', 'NaN', 'abc', '', 'Infinity', '0x10'].map(
      (amount): [Record<string, string>, string] => [
        { from: 'USD', to: 'EUR', amount },
        'amount must be a number > 0 and <= 1000000000000000',
      ],
    ),
    [{ from: 'USD', to: 'EUR', at: 'yesterday' }, 'at must be an ISO-8601 date-time'],
    [{ from: 'USD', to: 'EUR', at: '2026-13-45' }, 'at must be an ISO-8601 date-time'],
    [{ from: 'USD', to: 'EUR', at: '2999-01-01T00:00:00Z' }, 'at must not be in the future'],
    [{ from: 'USD', to: 'EUR', extra: '1' }, 'property extra should not exist'],
  ];
  it.each(bad)('refuses %j with 400', async (query, message) => {
    await item('USD', 'EUR', 0.92);
    const res = await convert(query);
    expectErrorShape(res, 400);
    expect(res.body.message).toEqual(
      message.startsWith('at must not') ? message : expect.arrayContaining([message]),
    );
  });

  it('accepts the largest amount and an amount in exponent form', async () => {
    await item('USD', 'EUR', 0.5);
    expect((await convert({ from: 'USD', to: 'EUR', amount: '1e15' })).body.result).toBe(5e14);
    expect((await convert({ from: 'USD', to: 'EUR', amount: '2.5E-3' })).body.result).toBe(0.00125);
  });

  it('is documented in Swagger with its parameters, examples and the 400/404 answers', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const convert = doc.paths['/convert'].get;
    expect(Object.keys(convert.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(convert.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'amount',
      'at',
      'from',
      'to',
    ]);
    expect(doc.components.schemas.ConversionDto.properties.path.example).toHaveLength(2);
    const history = doc.paths['/items/{id}/history'].get.parameters;
    expect(history.find((p: { name: string }) => p.name === 'interval').schema.enum).toEqual([
      '1m',
      '5m',
      '15m',
      '1h',
      '1d',
    ]);
  });

  describe('over NATS (rates.convert)', () => {
    const ask = async (body: unknown) =>
      codec.decode((await nc.request('rates.convert', codec.encode(body), { timeout: 5000 })).data);

    it('answers as GET /convert does', async () => {
      await item('USD', 'EUR', 0.92);
      await item('USD', 'JPY', 150);
      await untilAnswering(nc, 'rates.convert', { from: 'USD', to: 'EUR' });
      const query = { from: 'EUR', to: 'JPY', amount: 250 };
      const http = (await convert(query)).body as { at: string };
      const reply = (await ask(query)) as { at: string };
      expect({ ...reply, at: '' }).toEqual({ ...http, at: '' });
      expect((await ask({ from: 'EUR', to: 'JPY', amount: '250', at: http.at })) as object).toEqual(
        http,
      );
    });

    it('validates as REST does', async () => {
      await item('USD', 'EUR', 0.92);
      await untilAnswering(nc, 'rates.convert', { from: 'USD', to: 'EUR' });
      const cases: [unknown, number, unknown][] = [
        [{ from: 'usd', to: 'EUR' }, 400, ['from must be 2 to 10 upper-case letters or digits']],
        [{ from: 'USD' }, 400, ['to must be 2 to 10 upper-case letters or digits']],
        [
          { from: 'USD', to: 'EUR', amount: 0 },
          400,
          ['amount must be a number > 0 and <= 1000000000000000'],
        ],
        [{ from: 'USD', to: 'EUR', amount: 1e16 }, 400, expect.any(Array)],
        [{ from: 'USD', to: 'EUR', amount: 'abc' }, 400, expect.any(Array)],
        [{ from: 'USD', to: 'EUR', at: 'soon' }, 400, ['at must be an ISO-8601 date-time']],
        [{ from: 'USD', to: 'EUR', at: '2999-01-01' }, 400, 'at must not be in the future'],
        [{ from: 'USD', to: 'XYZ' }, 404, 'no item has the currency XYZ'],
      ];
      for (const [body, statusCode, message] of cases) {
        expect(await ask(body)).toMatchObject({ statusCode, message });
      }
    });
  });
});
