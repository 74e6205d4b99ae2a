import { SqlDialect } from '../database/sql-dialect';
import { Statement } from './history-rollup';
import { ROLLUP_WIDTHS, rollupBucketsQuery } from './history-rollup.query';

export interface HistoryBucketsParams {
  itemId: number;
  /** The bucket width, a divisor of a day. */
  seconds: number;
  /** How many buckets, newest first. */
  limit: number;
  since?: Date;
  until?: Date;
}

/** Bounds for an open side of the range: every stored point lies between them. */
const EARLIEST = new Date('1970-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

/**
 * The OHLC statement the app runs, on its own so the benchmark can EXPLAIN exactly it: hour and
 * day buckets read the hourly rollup, shorter ones the raw points.
 */
export function historyBucketsQuery(sql: SqlDialect, params: HistoryBucketsParams): Statement {
  // timestamps are whole milliseconds: "at or before until" is "before until + 1 ms"
  const end = new Date(Math.min((params.until ?? LATEST).getTime() + 1, LATEST.getTime()));
  const since = params.since ?? EARLIEST;
  return ROLLUP_WIDTHS[params.seconds]
    ? rollupBucketsQuery(sql, { ...params, since, end })
    : rawBucketsQuery(sql, { ...params, since, end });
}

/**
 * Buckets from the raw points. It walks the buckets newest first with one index seek each (the
 * newest point before the current bucket), then reads each bucket's open and close by seeks and
 * its high, low and count by range scans of that bucket alone: the cost follows the points in the
 * returned buckets, never the whole history, and nothing is sorted but the buckets themselves.
 */
function rawBucketsQuery(
  sql: SqlDialect,
  params: HistoryBucketsParams & { since: Date; end: Date },
): Statement {
  const [item, since, before, max] = [1, 2, 3, 4].map((n) => sql.numbered(n));
  const start = (column: string) => sql.bucketStart(column, params.seconds);
  const inBucket = `h.item_id = ${item} AND h.recorded_at >= b.lo AND h.recorded_at < b.hi`;
  // PostgreSQL reads high, low and count in one scan of the bucket (LATERAL); SQLite, which has
  // no LATERAL and would sort a join to group it, in three scalar subqueries
  const scan = `FROM item_history h WHERE ${inBucket}`;
  const [aggregates, join] = sql.postgres
    ? [
        'agg.high, agg.low, agg.points',
        `CROSS JOIN LATERAL (SELECT MAX(h.rate) AS high, MIN(h.rate) AS low, COUNT(*) AS points ${scan}) agg`,
      ]
    : [
        `(SELECT MAX(h.rate) ${scan}) AS high, (SELECT MIN(h.rate) ${scan}) AS low,
         (SELECT COUNT(*) ${scan}) AS points`,
        '',
      ];
  const text = `WITH RECURSIVE walk(start, n) AS (
      SELECT ${start('MAX(recorded_at)')}, 1 FROM item_history
       WHERE item_id = ${item} AND recorded_at >= ${since} AND recorded_at < ${before}
      UNION ALL
      SELECT (SELECT ${start('MAX(h.recorded_at)')} FROM item_history h
               WHERE h.item_id = ${item} AND h.recorded_at >= ${since}
                 AND h.recorded_at < walk.start), walk.n + 1
        FROM walk WHERE walk.start IS NOT NULL AND walk.n < ${max}
    ), b AS (
      SELECT start, ${sql.greatest('start', since)} AS lo,
             ${sql.least(sql.bucketEnd('start', params.seconds), before)} AS hi
        FROM walk WHERE start IS NOT NULL
    )
    SELECT b.start, ${aggregates},
      (SELECT h.rate ${scan} ORDER BY h.recorded_at, h.id LIMIT 1) AS open,
      (SELECT h.rate ${scan} ORDER BY h.recorded_at DESC, h.id DESC LIMIT 1) AS close
      FROM b ${join}
      ORDER BY b.start DESC`;
  return {
    text,
    params: [params.itemId, sql.timestamp(params.since), sql.timestamp(params.end), params.limit],
  };
}
