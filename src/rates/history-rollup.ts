import { SqlDialect } from '../database/sql-dialect';

export const HOUR_MS = 3_600_000;

/** A statement and its parameters, to run as it is. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** A history point as stored, with the id the database gave it. */
export interface StoredPoint {
  id: number;
  itemId: number;
  rate: number;
  recordedAt: Date;
}

/** One item's points in one UTC hour, as a row of `item_history_hourly` holds them. */
export interface HourPiece {
  itemId: number;
  hourStart: Date;
  open: number;
  openAt: Date;
  openId: number;
  high: number;
  low: number;
  close: number;
  closeAt: Date;
  closeId: number;
  points: number;
}

export function hourFloor(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

/** Negative when point `a` comes first by (recorded_at, id), the order open and close follow. */
const order = (aAt: Date, aId: number, bAt: Date, bId: number) =>
  aAt.getTime() - bAt.getTime() || aId - bId;

/** The points grouped by item and hour: one upsert row each (one statement may not hit a row twice). */
export function hourPieces(points: StoredPoint[]): HourPiece[] {
  const pieces = new Map<string, HourPiece>();
  for (const point of points) {
    const hourStart = hourFloor(point.recordedAt);
    const key = `${point.itemId}:${hourStart.getTime()}`;
    const piece = pieces.get(key);
    if (!piece) {
      const { id, itemId, rate, recordedAt: at } = point;
      pieces.set(key, {
        ...{ itemId, hourStart, open: rate, openAt: at, openId: id, high: rate, low: rate },
        ...{ close: rate, closeAt: at, closeId: id, points: 1 },
      });
      continue;
    }
    if (order(point.recordedAt, point.id, piece.openAt, piece.openId) < 0) {
      Object.assign(piece, { open: point.rate, openAt: point.recordedAt, openId: point.id });
    }
    if (order(point.recordedAt, point.id, piece.closeAt, piece.closeId) > 0) {
      Object.assign(piece, { close: point.rate, closeAt: point.recordedAt, closeId: point.id });
    }
    piece.high = Math.max(piece.high, point.rate);
    piece.low = Math.min(piece.low, point.rate);
    piece.points += 1;
  }
  // in key order, so concurrent writers lock shared rows in the same order (no deadlock)
  return [...pieces.values()].sort(
    (a, b) => a.itemId - b.itemId || a.hourStart.getTime() - b.hourStart.getTime(),
  );
}

const TABLE = 'item_history_hourly';
const COLUMNS =
  'item_id, hour_start, open, open_at, open_id, high, low, close, close_at, close_id, points';

/**
 * Merges new points into their hours' rows: extremes and count add up, and open / close move
 * only to a point earlier / later by (recorded_at, id). Every SET reads the row as it was.
 */
export function rollupUpsert(sql: SqlDialect, pieces: HourPiece[]): Statement {
  const row = (column: string) => `${TABLE}.${column}`;
  const earlier = `(excluded.open_at, excluded.open_id) < (${row('open_at')}, ${row('open_id')})`;
  const later = `(excluded.close_at, excluded.close_id) > (${row('close_at')}, ${row('close_id')})`;
  const pick = (when: string, column: string) =>
    `${column} = CASE WHEN ${when} THEN excluded.${column} ELSE ${row(column)} END`;
  const text = `INSERT INTO ${TABLE} (${COLUMNS}) VALUES ${sql.valueRows(pieces.length, 11)}
    ON CONFLICT (item_id, hour_start) DO UPDATE SET
      ${['open', 'open_at', 'open_id'].map((column) => pick(earlier, column)).join(', ')},
      high = ${sql.greatest(row('high'), 'excluded.high')},
      low = ${sql.least(row('low'), 'excluded.low')},
      ${['close', 'close_at', 'close_id'].map((column) => pick(later, column)).join(', ')},
      points = ${row('points')} + excluded.points`;
  const params = pieces.flatMap((p) => [
    p.itemId,
    sql.timestamp(p.hourStart),
    p.open,
    sql.timestamp(p.openAt),
    p.openId,
    p.high,
    p.low,
    p.close,
    sql.timestamp(p.closeAt),
    p.closeId,
    p.points,
  ]);
  return { text, params };
}

/** Which rows to rebuild: the whole hours in [from, to), of one item or of all. */
export interface RebuildScope {
  from: Date;
  to: Date;
  itemId?: number;
}

/**
 * Rebuilds rollup rows from the raw points (the migration's backfill, scoped): hours left with
 * no point lose their row. Two statements, to run in one transaction.
 */
export function rollupRebuild(sql: SqlDialect, scope: RebuildScope): Statement[] {
  const params: unknown[] = [sql.timestamp(scope.from), sql.timestamp(scope.to)];
  const item = scope.itemId === undefined ? '' : ` AND item_id = ${sql.numbered(3)}`;
  if (scope.itemId !== undefined) {
    params.push(scope.itemId);
  }
  const [from, to] = [sql.numbered(1), sql.numbered(2)];
  const hour = sql.bucketStart('recorded_at', HOUR_MS / 1000);
  const first = (column: string) => `MAX(CASE WHEN nth = 1 THEN ${column} END)`;
  const last = (column: string) => `MAX(CASE WHEN nth_last = 1 THEN ${column} END)`;
  return [
    {
      text: `DELETE FROM ${TABLE} WHERE hour_start >= ${from} AND hour_start < ${to}${item}`,
      params,
    },
    {
      text: `INSERT INTO ${TABLE} (${COLUMNS})
        SELECT item_id, hour_start, ${first('rate')}, ${first('recorded_at')}, ${first('id')},
          MAX(rate), MIN(rate), ${last('rate')}, ${last('recorded_at')}, ${last('id')}, COUNT(*)
        FROM (
          SELECT id, item_id, rate, recorded_at, ${hour} AS hour_start,
            ROW_NUMBER() OVER (PARTITION BY item_id, ${hour} ORDER BY recorded_at, id) AS nth,
            ROW_NUMBER() OVER (PARTITION BY item_id, ${hour}
                               ORDER BY recorded_at DESC, id DESC) AS nth_last
          FROM item_history WHERE recorded_at >= ${from} AND recorded_at < ${to}${item}
        ) ranked
        GROUP BY item_id, hour_start`,
      params,
    },
  ];
}

/**
 * Retention's part in the rollup, after raw points before `before` are gone: the hours that
 * ended by then go, and the one hour `before` cuts is rebuilt from the points it kept.
 */
export function rollupPrune(sql: SqlDialect, before: Date): Statement[] {
  const cut = hourFloor(before);
  const drop = {
    text: `DELETE FROM ${TABLE} WHERE hour_start < ${sql.param(1)}`,
    params: [sql.timestamp(cut)],
  };
  if (cut.getTime() === before.getTime()) {
    return [drop];
  }
  return [drop, ...rollupRebuild(sql, { from: cut, to: new Date(cut.getTime() + HOUR_MS) })];
}
