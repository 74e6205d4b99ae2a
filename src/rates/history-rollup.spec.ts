import { SqlDialect } from '../database/sql-dialect';
import { hourPieces, rollupPrune, StoredPoint } from './history-rollup';
import { rollupBucketsQuery } from './history-rollup.query';

const at = (time: string) => new Date(`2026-03-10T${time}Z`);
const point = (id: number, itemId: number, rate: number, time: string): StoredPoint => ({
  id,
  itemId,
  rate,
  recordedAt: at(time),
});

describe('hourPieces', () => {
  it('makes one piece per item and hour in key order, open and close by (recorded_at, id) whatever the input order', () => {
    const points = [
      point(4, 1, 1.4, '10:30:00.000'),
      point(2, 1, 1.2, '10:05:00.000'),
      point(3, 1, 0.9, '10:05:00.000'),
      point(5, 1, 2.0, '10:30:00.000'),
      point(6, 2, 7.0, '10:10:00.000'),
      point(7, 1, 1.0, '11:00:00.000'),
    ];
    const pieces = hourPieces(points);
    expect(pieces).toHaveLength(3);
    expect(pieces.find((p) => p.itemId === 1 && +p.hourStart === +at('10:00:00.000'))).toEqual({
      itemId: 1,
      hourStart: at('10:00:00.000'),
      ...{ open: 1.2, openAt: at('10:05:00.000'), openId: 2 },
      ...{ high: 2.0, low: 0.9, points: 4 },
      ...{ close: 2.0, closeAt: at('10:30:00.000'), closeId: 5 },
    });
    expect(pieces.map((p) => [p.itemId, p.hourStart.toISOString(), p.points])).toEqual([
      [1, '2026-03-10T10:00:00.000Z', 4],
      [1, '2026-03-10T11:00:00.000Z', 1],
      [2, '2026-03-10T10:00:00.000Z', 1],
    ]);
  });
});

describe('rollupPrune', () => {
  const sql = new SqlDialect({ type: 'postgres' });

  it('drops the hours before a cutoff on an hour boundary, and rebuilds none', () => {
    const statements = rollupPrune(sql, at('10:00:00.000'));
    expect(statements).toHaveLength(1);
    expect(statements[0].params).toEqual([at('10:00:00.000')]);
  });

  it('rebuilds the one hour a cutoff inside it cuts, from the points kept', () => {
    const [drop, clear, refill] = rollupPrune(sql, at('10:17:23.500'));
    expect(drop.params).toEqual([at('10:00:00.000')]);
    expect(clear.params).toEqual([at('10:00:00.000'), at('11:00:00.000')]);
    expect(refill.params).toEqual(clear.params);
  });
});

describe('rollupBucketsQuery', () => {
  const sql = new SqlDialect({ type: 'postgres' });
  const query = (since: string, end: string, seconds = 86400) =>
    rollupBucketsQuery(sql, { itemId: 7, seconds, limit: 3, since: at(since), end: at(end) })
      .params;

  it('reads whole hours from the rollup and the partial edge hours from the raw points', () => {
    expect(query('09:15:00.000', '12:30:00.001')).toEqual([
      7,
      ...[at('09:15:00.000'), at('10:00:00.000')],
      ...[at('10:00:00.000'), at('12:00:00.000')],
      ...[at('12:00:00.000'), at('12:30:00.001')],
      72,
      3,
    ]);
  });

  it('makes a range inside one hour one edge, and one on hour bounds no edge', () => {
    expect(query('09:15:00.000', '09:45:00.000', 3600).slice(1, 8)).toEqual([
      ...[at('09:15:00.000'), at('09:45:00.000')],
      ...[at('10:00:00.000'), at('10:00:00.000')],
      ...[at('09:45:00.000'), at('09:45:00.000')],
      3,
    ]);
    expect(query('09:00:00.000', '11:00:00.000', 3600).slice(1, 7)).toEqual([
      ...[at('09:00:00.000'), at('09:00:00.000')],
      ...[at('09:00:00.000'), at('11:00:00.000')],
      ...[at('11:00:00.000'), at('11:00:00.000')],
    ]);
  });

  it('serves only hour and day buckets', () => {
    expect(() => query('09:00:00.000', '11:00:00.000', 900)).toThrow(RangeError);
  });
});
