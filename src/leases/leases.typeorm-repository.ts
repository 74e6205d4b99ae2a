import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect';
import { managerOf, Transaction } from '../database/transaction';
import { LeasesRepository } from './leases.repository';

interface Dialect {
  /** The database's current time, in the format the expires_at column holds. */
  now: string;
  /** now + a number of milliseconds given as the parameter `param`. */
  later: (param: string) => string;
  param: (index: number) => string;
}

// expires_at is `timestamp` (UTC, without zone) on PostgreSQL and TypeORM's text datetime on SQLite
const POSTGRES: Dialect = {
  now: "(clock_timestamp() AT TIME ZONE 'UTC')",
  later: (p) =>
    `((clock_timestamp() AT TIME ZONE 'UTC') + ${p}::float8 * interval '1 millisecond')`,
  param: (i) => `$${i}`,
};
const SQLITE: Dialect = {
  now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
  later: (p) => `strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || (${p} / 1000.0) || ' seconds')`,
  param: () => '?',
};

@Injectable()
export class LeasesTypeormRepository extends LeasesRepository {
  private readonly sql: Dialect;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    dialect: SqlDialect,
  ) {
    super();
    this.sql = dialect.postgres ? POSTGRES : SQLITE;
  }

  async acquire(tx: Transaction, name: string, owner: string, ttlMs: number): Promise<boolean> {
    const { now, later, param } = this.sql;
    // one statement: the first taker inserts; later ones update only a row that is theirs or
    // expired. On PostgreSQL a concurrent taker waits on the row lock, then re-checks the WHERE.
    const affected = await this.affected(
      tx,
      `INSERT INTO leases (name, owner, expires_at) VALUES (${param(1)}, ${param(2)}, ${later(param(3))})
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at < ${now}`,
      [name, owner, ttlMs],
    );
    return affected > 0;
  }

  async renew(tx: Transaction, name: string, owner: string, ttlMs: number): Promise<boolean> {
    const { now, later, param } = this.sql;
    const affected = await this.affected(
      tx,
      `UPDATE leases SET expires_at = ${later(param(1))}
       WHERE name = ${param(2)} AND owner = ${param(3)} AND expires_at >= ${now}`,
      [ttlMs, name, owner],
    );
    return affected > 0;
  }

  async release(tx: Transaction, name: string, owner: string): Promise<void> {
    const { param } = this.sql;
    await managerOf(tx).query(
      `DELETE FROM leases WHERE name = ${param(1)} AND owner = ${param(2)}`,
      [name, owner],
    );
  }

  /** Rows a write changed, as both drivers report it (a structured result). */
  private async affected(tx: Transaction, sql: string, params: unknown[]): Promise<number> {
    const runner = managerOf(tx).queryRunner;
    if (!runner) {
      throw new Error('a lease is written inside a transaction');
    }
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  }

  async live(): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ name: string; owner: string }[]>(
      `SELECT name, owner FROM leases WHERE expires_at >= ${this.sql.now}`,
    );
    return new Map(rows.map((r) => [r.name, r.owner]));
  }
}
