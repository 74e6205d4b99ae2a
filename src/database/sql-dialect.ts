import { DataSourceOptions } from 'typeorm';

export type SqlEngine = 'sqlite' | 'postgres';

/**
 * The one place that knows which engine runs: the placeholders and timestamp binding of the raw
 * SQL that the hottest writes use instead of TypeORM's query builder (too slow for 100-row
 * statements), and the flags other engine-specific choices read.
 */
export class SqlDialect {
  readonly engine: SqlEngine;

  constructor(options: Pick<DataSourceOptions, 'type'>) {
    this.engine = options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  get postgres(): boolean {
    return this.engine === 'postgres';
  }

  get sqlite(): boolean {
    return this.engine === 'sqlite';
  }

  /** `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL. */
  valueRows(rows: number, columns: number): string {
    const tuples: string[] = [];
    for (let row = 0; row < rows; row++) {
      const marks: string[] = [];
      for (let column = 1; column <= columns; column++) {
        marks.push(this.postgres ? `$${row * columns + column}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    return tuples.join(', ');
  }

  /** `?, ?, ?` or `$1, $2, $3`, for an IN list. */
  list(count: number, first = 1): string {
    return Array.from({ length: count }, (_, i) => (this.postgres ? `$${first + i}` : '?')).join(
      ', ',
    );
  }

  /** The one placeholder at position `n` (1-based). */
  param(n: number): string {
    return this.postgres ? `$${n}` : '?';
  }

  /** Parameter `n` (1-based) by number, so one statement can use a value several times. */
  numbered(n: number): string {
    return this.postgres ? `$${n}` : `?${n}`;
  }

  /** The larger of two values of the same type. */
  greatest(a: string, b: string): string {
    return this.postgres ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`;
  }

  /** The smaller of two values of the same type. */
  least(a: string, b: string): string {
    return this.postgres ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`;
  }

  /**
   * The start of the UTC bucket of `seconds` (a divisor of a day) holding the timestamp `column`,
   * as a value of the column's own type, so it compares with the column through its index. Epoch
   * arithmetic: every such bucket boundary is a multiple of its width since 1970-01-01.
   */
  bucketStart(column: string, seconds: number, offsetSeconds = 0): string {
    const width = integer(seconds);
    const offset = integer(offsetSeconds);
    if (this.postgres) {
      return `(TIMESTAMP '1970-01-01' + (FLOOR(EXTRACT(EPOCH FROM ${column}) / ${width}) * ${width} + ${offset}) * INTERVAL '1 second')`;
    }
    return `strftime('%Y-%m-%d %H:%M:%f', (CAST(strftime('%s', ${column}) AS INTEGER) / ${width}) * ${width} + ${offset}, 'unixepoch')`;
  }

  /**
   * The start of the UTC hour or day holding the timestamp `column`, as a value of its own type:
   * cheaper than `bucketStart` (SQLite cuts its stored text, PostgreSQL truncates).
   */
  truncate(column: string, unit: 'hour' | 'day'): string {
    if (this.postgres) {
      return `date_trunc('${unit}', ${column})`;
    }
    return unit === 'hour'
      ? `(substr(${column}, 1, 13) || ':00:00.000')`
      : `(substr(${column}, 1, 10) || ' 00:00:00.000')`;
  }

  /** The bucket after the one `bucketStart(column, seconds)` names. */
  bucketEnd(column: string, seconds: number): string {
    return this.bucketStart(column, seconds, seconds);
  }

  /**
   * As TypeORM binds a Date column: SQLite stores UTC text `YYYY-MM-DD HH:MM:SS.sss` (so raw and
   * TypeORM-written rows sort and compare alike); pg takes the Date itself.
   */
  timestamp(date: Date): string | Date {
    return this.postgres ? date : date.toISOString().replace('T', ' ').replace('Z', '');
  }

  /**
   * `id IN (subquery)` for a bounded DELETE. PostgreSQL may plan that as a hash join over a scan
   * of the whole table; `= ANY(ARRAY(subquery))` makes it a lookup by the key for each id.
   */
  inSubquery(column: string, subquery: string): string {
    return this.postgres ? `${column} = ANY(ARRAY(${subquery}))` : `${column} IN (${subquery})`;
  }

  /**
   * An `INSERT … RETURNING` for TypeORM's `query()`: its SQLite runner sends a statement that
   * starts with `INSERT ` to run(), which drops the returned rows, and any other to all().
   */
  returningRows(statement: string): string {
    return this.sqlite ? `/* returning rows */ ${statement}` : statement;
  }

  /** A timestamp column read by raw SQL: pg parses it already; SQLite gives the UTC text. */
  readTimestamp(value: unknown): Date {
    if (value instanceof Date) {
      return value;
    }
    return new Date(`${String(value).replace(' ', 'T')}Z`);
  }
}

/** Only integers are written into SQL text. */
function integer(value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`not an integer: ${value}`);
  }
  return value;
}
