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

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: SqlDialect,
  ) {}

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (this.sql.postgres) {
      return this.dataSource.query<Row[]>(sql, params);
    }
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
