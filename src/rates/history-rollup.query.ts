import { SqlDialect } from '../database/sql-dialect';
import { HOUR_MS, hourFloor, Statement } from './history-rollup';

export interface RollupBucketsParams {
  itemId: number;
  /** The bucket width, a whole number of hours dividing a day. */
  seconds: number;
  /** How many buckets, newest first. */
  limit: number;
  /** The points selected: `since` inclusive, `end` exclusive. */
  since: Date;
  end: Date;
}

/** [lo, hi) of one item's raw points, or of its rollup rows. */
type Span = [Date, Date];

/**
 * Where the range is cut: the whole hours in it come from the rollup, the partial hours at its
 * edges (at most one at each end) from the raw points. A range inside one hour is one edge.
 */
function spans(since: Date, end: Date): { first: Span; whole: Span; last: Span } {
  const floor = hourFloor(since);
  const wholeFrom = floor.getTime() === since.getTime() ? since : new Date(+floor + HOUR_MS);
  const wholeTo = hourFloor(end);
  if (wholeFrom > wholeTo) {
    return { first: [since, end], whole: [wholeFrom, wholeFrom], last: [end, end] };
  }
  return { first: [since, wholeFrom], whole: [wholeFrom, wholeTo], last: [wholeTo, end] };
}

/**
 * OHLC buckets of whole hours (1h, 1d) from the hourly rollup: the newest rows of the range by
 * its primary key (item_id, hour_start), at most an interval's hours per bucket asked for, plus
 * the partial edge hours computed from the raw points by the (item_id, recorded_at, id) index.
 * The pieces are disjoint in time, so a bucket's open is its first piece's and its close its
 * last piece's; the result is the one the raw points give, reading hours instead of points.
 */
export function rollupBucketsQuery(sql: SqlDialect, params: RollupBucketsParams): Statement {
  const n = (i: number) => sql.numbered(i);
  const edge = (lo: string, hi: string) => {
    const inside = `x.item_id = ${n(1)} AND x.recorded_at >= ${lo} AND x.recorded_at < ${hi}`;
    const seek = (direction: string) =>
      `(SELECT x.rate FROM item_history x WHERE ${inside}
         ORDER BY x.recorded_at ${direction}, x.id ${direction} LIMIT 1)`;
    return `SELECT MIN(x.recorded_at) AS at, ${seek('ASC')} AS open, MAX(x.rate) AS high,
        MIN(x.rate) AS low, ${seek('DESC')} AS close, COUNT(*) AS points
      FROM item_history x WHERE ${inside} HAVING COUNT(*) > 0`;
  };
  const text = `WITH pieces AS (
      SELECT at, open, high, low, close, points FROM (
        SELECT r.hour_start AS at, r.open, r.high, r.low, r.close, r.points
          FROM item_history_hourly r
         WHERE r.item_id = ${n(1)} AND r.hour_start >= ${n(4)} AND r.hour_start < ${n(5)}
         ORDER BY r.hour_start DESC LIMIT ${n(8)}
      ) whole
      UNION ALL ${edge(n(2), n(3))}
      UNION ALL ${edge(n(6), n(7))}
    ), keyed AS (
      SELECT ${sql.bucketStart('at', params.seconds)} AS start, at, open, high, low, close, points
        FROM pieces
    ), ranked AS (
      SELECT start, open, high, low, close, points,
        ROW_NUMBER() OVER (PARTITION BY start ORDER BY at) AS nth,
        ROW_NUMBER() OVER (PARTITION BY start ORDER BY at DESC) AS nth_last
        FROM keyed
    )
    SELECT start, MAX(CASE WHEN nth = 1 THEN open END) AS open, MAX(high) AS high,
      MIN(low) AS low, MAX(CASE WHEN nth_last = 1 THEN close END) AS close,
      SUM(points) AS points
      FROM ranked GROUP BY start ORDER BY start DESC LIMIT ${n(9)}`;
  const { first, whole, last } = spans(params.since, params.end);
  // the newest `limit` buckets hold at most this many hours, and they are the newest rows
  const hours = params.limit * Math.max(1, Math.floor((params.seconds * 1000) / HOUR_MS));
  return {
    text,
    params: [
      params.itemId,
      ...[...first, ...whole, ...last].map((date) => sql.timestamp(date)),
      hours,
      params.limit,
    ],
  };
}
