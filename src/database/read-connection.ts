import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Database, OPEN_READONLY } from 'sqlite3';
import { DataSource } from 'typeorm';
import { SqlDialect } from './sql-dialect';

/**
 * Reads that must see only committed rows. On SQLite TypeORM's one connection is also the
 * writers', so a read there could see a transaction still open (and maybe rolled back); this
 * reads through a read-only connection of its own instead (WAL: the last committed state). On
 * PostgreSQL the pool already isolates each query.
 */
@Injectable()
export class ReadConnection implements OnModuleDestroy {
  private database?: Database;
  /** The statement before the next one: they go to SQLite one at a time. */
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: SqlDialect,
  ) {}

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (this.sql.postgres) {
      return this.dataSource.query<Row[]>(sql, params);
    }
    // SQLite runs one connection's statements one after another anyway; sent together, all but
    // one would each hold one of libuv's four threads while they wait for it, and the other
    // connections' reads (every GET) need those threads
    const result = this.previous.then(() => this.all<Row>(sql, params));
    this.previous = result.catch(() => undefined);
    return result;
  }

  private all<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    const database = this.open();
    return new Promise((resolve, reject) =>
      database.all(sql, params, (error: Error | null, rows: Row[]) =>
        error ? reject(error) : resolve(rows),
      ),
    );
  }

  async onModuleDestroy(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    await new Promise<void>((resolve) => (database ? database.close(() => resolve()) : resolve()));
  }

  private open(): Database {
    if (!this.database) {
      this.database = new Database(this.dataSource.options.database as string, OPEN_READONLY);
      this.database.configure('busyTimeout', 5000);
    }
    return this.database;
  }
}
