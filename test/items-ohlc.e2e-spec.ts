import { DataSource } from 'typeorm';
import { HourlyRollup1764720000000 } from '../migrations/1764720000000-HourlyRollup';
import { SqlDialect } from '../src/database/sql-dialect';
import { TransactionRunner } from '../src/database/transaction-runner';
import { historyBucketsQuery } from '../src/rates/history-buckets.query';
import { ItemsRepository } from '../src/rates/items.repository';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { historyRows, Point } from './helpers/history-rows';
import { jobEnd } from './helpers/jobs';
import { startTestApp, TestApp } from './helpers/test-app';

interface Bucket {
  start: string;
  open: number;
  high: number;
  low: number;
  close: number;
  points: number;
}

const WIDTHS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };
const HOUR = 3_600_000;
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);

/** The buckets as the spec defines them, from the raw points (listed in id order). */
function expected(points: Point[], width: number): Bucket[] {
  const buckets = new Map<number, Point[]>();
  for (const point of points) {
    const start = Math.floor(point.at.getTime() / width) * width;
    buckets.set(start, [...(buckets.get(start) ?? []), point]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => b - a)
    .map(([start, inside]) => {
      // a stable sort keeps id order among equal times: open/close go by (recorded_at, id)
      const byTime = [...inside].sort((a, b) => a.at.getTime() - b.at.getTime());
      const rates = inside.map((p) => p.rate);
      return {
        start: new Date(start).toISOString(),
        open: byTime[0].rate,
        high: Math.max(...rates),
        low: Math.min(...rates),
        close: byTime[byTime.length - 1].rate,
        points: inside.length,
      };
    });
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('GET /items/{id}/history?interval= (OHLC buckets)', () => {
  let t: TestApp;
  let upstream: FakeUpstream;
  let sql: SqlDialect;
  let id: number;
  const points: Point[] = [];

  /** An item's points as stored, in (recorded_at, id) order. */
  const stored = async (itemId: number): Promise<Point[]> => {
    const rows: { rate: number; recorded_at: unknown }[] = await t.dataSource.query(
      `SELECT rate, recorded_at FROM item_history WHERE item_id = ${sql.numbered(1)}
        ORDER BY recorded_at, id`,
      [itemId],
    );
    return rows.map((row) => ({ rate: Number(row.rate), at: sql.readTimestamp(row.recorded_at) }));
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_TYPE: 'fiat',
      EXCHANGE_RATES_API_URL: `${upstream.url}/v4/latest/USD`,
      EXTERNAL_RETRIES: '0',
    });
    sql = t.app.get(SqlDialect);
    // not a base the sync quotes, so only this test writes its history
    id = (await t.http.post('/items').send({ base: 'OHL', code: 'EUR', rate: 1 }).expect(201)).body
      .id;
    const next = random(17);
    let at = Date.parse('2026-03-01T22:58:30.000Z');
    for (let i = 0; i < 1500; i++) {
      // gaps from 0 (the same instant twice: the id decides) to 4 minutes, and a few long ones
      at += i % 400 === 399 ? 5 * 3_600_000 : Math.floor(next() * 4) * 60_000 + (i % 3) * 1000;
      points.push({ rate: Math.round((0.8 + next() * 0.2) * 1e6) / 1e6, at: new Date(at) });
    }
    // points on exact boundaries belong to the bucket they start
    points.push({ rate: 0.5, at: new Date('2026-03-04T00:00:00.000Z') });
    points.push({ rate: 1.5, at: new Date('2026-03-04T00:00:00.000Z') });
    points.sort((a, b) => a.at.getTime() - b.at.getTime());
    await historyRows(t.dataSource).replace(id, points);
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  const buckets = async (query: Record<string, string | number>, item = id) => {
    const res = await t.http.get(`/items/${item}/history`).query(query);
    expect(res.status).toBe(200);
    return res.body as Bucket[];
  };

  it.each(Object.entries(WIDTHS))(
    'interval=%s: open, high, low, close and points match the raw points, newest first',
    async (interval, width) => {
      const want = expected(points, width);
      const got = await buckets({ interval, limit: 1000 });
      expect(got).toEqual(want.slice(0, 1000));
      expect(got.reduce((sum, b) => sum + b.points, 0)).toBe(
        want.slice(0, 1000).reduce((sum, b) => sum + b.points, 0),
      );
    },
  );

  it('counts every point once at 1d, where all fit', async () => {
    const got = await buckets({ interval: '1d' });
    expect(got.map((b) => b.start)).toEqual([
      '2026-03-04T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(got.reduce((sum, b) => sum + b.points, 0)).toBe(points.length);
    expect(got[0].open).toBe(0.5);
  });

  it('selects points with since and until (inclusive) and counts buckets with limit', async () => {
    const since = points[200].at;
    const until = points[1200].at;
    const inside = points.filter((p) => p.at >= since && p.at <= until);
    for (const [interval, width] of Object.entries(WIDTHS)) {
      const got = await buckets({
        interval,
        since: since.toISOString(),
        until: until.toISOString(),
        limit: 7,
      });
      expect(got).toEqual(expected(inside, width).slice(0, 7));
    }
    const raw = await t.http
      .get(`/items/${id}/history`)
      .query({ since: since.toISOString(), until: until.toISOString(), limit: 1000 });
    expect(raw.body).toHaveLength(Math.min(1000, inside.length));
    expect(raw.body[0].recorded_at).toBe(until.toISOString());
    expect((await buckets({ interval: '1h', since: '2030-01-01T00:00:00Z' })).length).toBe(0);
    expect(await buckets({ interval: '1d', until: '9999-12-31T23:59:59.999Z' })).toHaveLength(4);
  });

  it('answers 400 for a bad interval or until, 404 for an unknown item', async () => {
    for (const interval of ['2m', '1M', '', 'hour']) {
      const res = await t.http.get(`/items/${id}/history`).query({ interval });
      expectErrorShape(res, 400);
      expect(res.body.message).toEqual(['interval must be one of 1m, 5m, 15m, 1h, 1d']);
    }
    const until = await t.http.get(`/items/${id}/history`).query({ until: 'later' });
    expectErrorShape(until, 400);
    expect(until.body.message).toEqual(['until must be an ISO-8601 date-time']);
    expectErrorShape(await t.http.get('/items/999999/history').query({ interval: '1h' }), 404);
  });

  /** Every interval of the item's buckets against its stored points; those points. */
  const matchesStored = async (itemId: number): Promise<Point[]> => {
    const all = await stored(itemId);
    for (const [interval, width] of Object.entries(WIDTHS)) {
      const got = await buckets({ interval, limit: 1000 }, itemId);
      expect({ interval, got }).toEqual({ interval, got: expected(all, width).slice(0, 1000) });
    }
    return all;
  };

  const rollupRows = (itemId: number): Promise<Record<string, unknown>[]> =>
    t.dataSource.query(
      `SELECT * FROM item_history_hourly WHERE item_id = ${sql.numbered(1)} ORDER BY hour_start`,
      [itemId],
    );

  it('1h and 1d with since and until inside hours: the edge hours match the raw points exactly', async () => {
    const hour = hourOf(points[300].at).getTime();
    const cases: [Date, Date][] = [
      // inside one hour; an hour's exact bounds; one millisecond past them on either side
      [new Date(hour + 60_000), new Date(hour + 45 * 60_000)],
      [new Date(hour), new Date(hour + HOUR - 1)],
      [new Date(hour + 1), new Date(hour + HOUR)],
      [new Date(hour - HOUR - 1), new Date(hour + 2 * HOUR + 1)],
    ];
    const next = random(29);
    const [first, last] = [points[0].at.getTime(), points[points.length - 1].at.getTime()];
    for (let i = 0; i < 16; i++) {
      const since = first - HOUR + Math.floor(next() * (last - first + 2 * HOUR));
      const span = Math.floor(next() * (i % 2 ? 3 * HOUR : 2 * WIDTHS['1d']));
      cases.push([new Date(since), new Date(since + span)]);
    }
    let cutHours = 0;
    for (const [since, until] of cases) {
      const inside = points.filter((p) => p.at >= since && p.at <= until);
      for (const interval of ['1h', '1d'] as const) {
        for (const limit of [1000, 2]) {
          const query = { interval, since: since.toISOString(), until: until.toISOString(), limit };
          expect({ ...query, got: await buckets(query) }).toEqual({
            ...query,
            got: expected(inside, WIDTHS[interval]).slice(0, limit),
          });
        }
      }
      const cut = (p: Point) => hourOf(p.at) < since || hourOf(p.at).getTime() + HOUR > +until + 1;
      cutHours += inside.some(cut) ? 1 : 0;
    }
    // most ranges take points from an hour they hold only part of
    expect(cutHours).toBeGreaterThan(cases.length / 2);
  });

  it('merges points written into hours that hold some: open and close by (recorded_at, id), extremes, count', async () => {
    const item = (
      await t.http.post('/items').send({ base: 'OHL', code: 'GBP', rate: 1 }).expect(201)
    ).body.id as number;
    const at = (time: string) => new Date(`2026-03-10T${time}Z`);
    await historyRows(t.dataSource).replace(item, [
      { rate: 1.0, at: at('10:05:00.000') },
      { rate: 1.1, at: at('10:30:00.000') },
      { rate: 1.2, at: at('10:30:00.000') },
      { rate: 1.3, at: at('11:15:00.000') },
    ]);
    const append = (added: Point[]) =>
      t.app.get(TransactionRunner).run((tx) =>
        t.app.get(ItemsRepository).appendHistory(
          tx,
          added.map((p) => ({ itemId: item, rate: p.rate, source: 'manual', recordedAt: p.at })),
        ),
      );
    // one write, several points of one hour: tying its open's time (the older id stays first)
    // and its close's (the newer id becomes last); a new hour starting on its boundary
    await append([
      { rate: 2.0, at: at('10:05:00.000') },
      { rate: 0.5, at: at('10:30:00.000') },
      { rate: 1.4, at: at('11:15:00.000') },
      { rate: 1.5, at: at('12:00:00.000') },
    ]);
    // earlier than the open, later than the close, and an hour before them all
    await append([
      { rate: 0.95, at: at('10:01:00.000') },
      { rate: 1.05, at: at('10:59:59.999') },
      { rate: 1.6, at: at('09:59:59.999') },
    ]);
    const ten = (await buckets({ interval: '1h' }, item)).find(
      (b) => b.start === '2026-03-10T10:00:00.000Z',
    );
    expect(ten).toEqual({
      start: '2026-03-10T10:00:00.000Z',
      ...{ open: 0.95, high: 2.0, low: 0.5, close: 1.05, points: 7 },
    });
    expect(await matchesStored(item)).toHaveLength(11);
  });

  it('keeps the rollup in step with PATCH, and deletes it with the item', async () => {
    const item = (
      await t.http.post('/items').send({ base: 'OHL', code: 'JPY', rate: 150 }).expect(201)
    ).body.id as number;
    for (const rate of [151, 149.5, 152.25, 150]) {
      await t.http.patch(`/items/${item}`).send({ rate }).expect(200);
    }
    expect(await matchesStored(item)).toHaveLength(5);
    expect((await rollupRows(item)).length).toBeGreaterThan(0);
    await t.http.delete(`/items/${item}`).expect(204);
    expect(await rollupRows(item)).toEqual([]);
  });

  it('keeps the rollup in step with a rates sync, which writes many items at once', async () => {
    const rounds = [
      { EUR: 0.9, GBP: 0.8, JPY: 150 },
      { EUR: 0.91, GBP: 0.79, JPY: 150 },
      { EUR: 0.92, GBP: 0.81, JPY: 151 },
    ];
    for (const fiatRates of rounds) {
      upstream.set({ fiatRates });
      const started = await t.http.post('/tasks/run').expect(202);
      const job = await jobEnd(t, `/tasks/${started.body.job_id}`, { what: 'rates sync end' });
      expect(job.state).toBe('succeeded');
    }
    const synced = (await t.http.get('/items').query({ base: 'USD' })).body as {
      id: number;
      code: string;
    }[];
    const counts: Record<string, number> = {};
    for (const { id: item, code } of synced) {
      counts[code] = (await matchesStored(item)).length;
    }
    expect(counts).toEqual({ EUR: 3, GBP: 3, JPY: 2 });
  });

  it('reads 1h and 1d through the rollup primary key and the edges through the history index (EXPLAIN)', async () => {
    for (const seconds of [3600, 86400]) {
      const query = historyBucketsQuery(sql, {
        itemId: id,
        seconds,
        limit: 100,
        since: new Date(points[100].at.getTime() + 1),
        until: points[1400].at,
      });
      let plan: string;
      if (sql.sqlite) {
        const rows: { detail: string }[] = await t.dataSource.query(
          `EXPLAIN QUERY PLAN ${query.text}`,
          query.params,
        );
        plan = rows.map((r) => r.detail).join('\n');
        expect(plan).toContain(
          'SEARCH r USING INDEX sqlite_autoindex_item_history_hourly_1 (item_id=? AND hour_start>? AND hour_start<?)',
        );
      } else {
        // a test table is tiny, so the planner would scan it anyway: can it use an index at all?
        const runner = t.dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query('SET LOCAL enable_seqscan = off');
          const rows: { 'QUERY PLAN': string }[] = await runner.query(
            `EXPLAIN ${query.text}`,
            query.params,
          );
          plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          await runner.rollbackTransaction();
        } finally {
          await runner.release();
        }
        expect(plan).toMatch(
          /Index Scan Backward using "PK_item_history_hourly" on item_history_hourly r/,
        );
      }
      expect(plan).toContain('IDX_item_history_item_recorded');
      expect(plan).not.toMatch(/SCAN (item_history|x|r)\b|Seq Scan/);
    }
  });

  it("the migration's backfill rolls up the history already there as the writes kept it", async () => {
    const all = (db: DataSource): Promise<Record<string, unknown>[]> =>
      db.query('SELECT * FROM item_history_hourly ORDER BY item_id, hour_start');
    const kept = await all(t.dataSource);
    expect(kept.length).toBeGreaterThan(40);
    // on a connection of its own, as the migration CLI would run it
    const own = await new DataSource({
      ...t.dataSource.options,
      migrationsRun: false,
    }).initialize();
    const runner = own.createQueryRunner();
    try {
      await new HourlyRollup1764720000000().down(runner);
      await new HourlyRollup1764720000000().up(runner);
      expect(await all(own)).toEqual(kept);
    } finally {
      await runner.release();
      await own.destroy();
    }
  });

  it('after a prune in batches that cuts an hour, the buckets are those of the points kept', async () => {
    const cut = new Date(hourOf(points[700].at).getTime() + 23 * 60_000 + 17_500);
    const inCutHour = points.filter((p) => hourOf(p.at).getTime() === hourOf(cut).getTime());
    expect(inCutHour.some((p) => p.at < cut) && inCutHour.some((p) => p.at >= cut)).toBe(true);
    const [items, transactions] = [t.app.get(ItemsRepository), t.app.get(TransactionRunner)];
    let deleted: number;
    do {
      deleted = await transactions.run((tx) => items.pruneHistory(tx, cut, 100));
    } while (deleted === 100);
    const kept = points.filter((p) => p.at >= cut);
    expect(kept.length).toBeLessThan(points.length - 500);
    for (const [interval, width] of Object.entries(WIDTHS)) {
      const got = await buckets({ interval, limit: 1000 });
      expect({ interval, got }).toEqual({ interval, got: expected(kept, width).slice(0, 1000) });
    }
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM item_history_hourly WHERE hour_start < ${sql.numbered(1)}`,
      [sql.timestamp(hourOf(cut))],
    );
    expect(Number(n)).toBe(0);
  });
});
