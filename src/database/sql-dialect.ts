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
}
