import { SqlDialect } from '../database/sql-dialect';
import { HOUR_MS, hourFloor, Statement } from './history-rollup';

/** The bucket widths the hourly rollup serves, in seconds, by the unit a bucket truncates to. */
export const ROLLUP_WIDTHS: Record<number, 'hour' | 'day'> = { 3600: 'hour', 86400: 'day' };

export interface RollupBucketsParams {
  itemId: number;
  /** The bucket width: one of ROLLUP_WIDTHS. */
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
 * OHLC buckets of an hour or a day from the hourly rollup: the newest rows of the range by its
 * primary key (item_id, hour_start), at most a bucket's hours for each bucket asked for, plus the
 * partial edge hours computed from the raw points through (item_id, recorded_at, id). Each piece
 * is a different hour, so a bucket's open is its first hour's and its close its last hour's, read
 * by one key lookup each (an edge hour's own values win over its row). The result is the one the
 * raw points give, from hours instead of points, and nothing is sorted but the buckets.
 */
export function rollupBucketsQuery(sql: SqlDialect, params: RollupBucketsParams): Statement {
  const unit = ROLLUP_WIDTHS[params.seconds];
  if (!unit) {
    throw new RangeError(`the rollup serves no ${params.seconds} s buckets`);
  }
  const n = (i: number) => sql.numbered(i);
  const edge = (lo: string, hi: string) => {
    const inside = `x.item_id = ${n(1)} AND x.recorded_at >= ${lo} AND x.recorded_at < ${hi}`;
    const seek = (direction: string) =>
      `(SELECT x.rate FROM item_history x WHERE ${inside}
         ORDER BY x.recorded_at ${direction}, x.id ${direction} LIMIT 1)`;
    return `SELECT ${sql.truncate('MIN(x.recorded_at)', 'hour')} AS hour, ${seek('ASC')} AS open,
        MAX(x.rate) AS high, MIN(x.rate) AS low, ${seek('DESC')} AS close, COUNT(*) AS points
      FROM item_history x WHERE ${inside} HAVING COUNT(*) > 0`;
  };
  const row = (column: string, hour: string) =>
    `COALESCE((SELECT e.${column} FROM edges e WHERE e.hour = ${hour}),
      (SELECT r.${column} FROM item_history_hourly r
        WHERE r.item_id = ${n(1)} AND r.hour_start = ${hour}))`;
  const start = unit === 'hour' ? 'hour' : sql.truncate('hour', 'day');
  const text = `WITH edges AS MATERIALIZED (
      ${edge(n(2), n(3))}
      UNION ALL ${edge(n(6), n(7))}
    ), pieces AS (
      SELECT hour, high, low, points FROM (
        SELECT r.hour_start AS hour, r.high, r.low, r.points FROM item_history_hourly r
         WHERE r.item_id = ${n(1)} AND r.hour_start >= ${n(4)} AND r.hour_start < ${n(5)}
         ORDER BY r.hour_start DESC LIMIT ${n(8)}
      ) whole
      UNION ALL SELECT hour, high, low, points FROM edges
    ), buckets AS (
      SELECT ${start} AS start, MIN(hour) AS first, MAX(hour) AS last, MAX(high) AS high,
             MIN(low) AS low, SUM(points) AS points
        FROM pieces GROUP BY start ORDER BY start DESC LIMIT ${n(9)}
    )
    SELECT b.start, ${row('open', 'b.first')} AS open, b.high, b.low,
      ${row('close', 'b.last')} AS close, b.points
      FROM buckets b ORDER BY b.start DESC`;
  const { first, whole, last } = spans(params.since, params.end);
  // the newest `limit` buckets hold at most this many hours, and they are the newest rows
  const hours = params.limit * (unit === 'day' ? 24 : 1);
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
