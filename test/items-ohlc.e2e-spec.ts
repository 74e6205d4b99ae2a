import { expectErrorShape } from './helpers/error-shape';
import { historyRows, Point } from './helpers/history-rows';
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
  let id: number;
  const points: Point[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    id = (await t.http.post('/items').send({ base: 'USD', code: 'EUR', rate: 1 }).expect(201)).body
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
  });

  const buckets = async (query: Record<string, string | number>) => {
    const res = await t.http.get(`/items/${id}/history`).query(query);
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
});
