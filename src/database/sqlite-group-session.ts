import { Database } from 'sqlite3';
import { DataSource, QueryRunner } from 'typeorm';
import { GroupSession } from './group-commit';
import { databaseClosing, SqliteStatements } from './sqlite-statements';
import { Transaction, transactionOf } from './transaction';

/** TypeORM's flag for the transaction opened below it (read-only in its interface only). */
function markActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}

/**
 * The group's physical transaction on SQLite: TypeORM's one connection, its BEGIN, SAVEPOINT,
 * RELEASE and COMMIT on the same sqlite3 handle, prepared once, or two at a time in one `exec`
 * (each trip through sqlite3's thread pool costs the app's one core more than the statement).
 */
export class SqliteGroupSession implements GroupSession {
  private opened?: { runner: QueryRunner; statements: SqliteStatements };
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  async begin(withSavepoint: boolean): Promise<void> {
    const { runner, statements } = this.open();
    await (withSavepoint ? statements.exec('BEGIN; SAVEPOINT run') : statements.all('BEGIN'));
    // TypeORM's own writes in a run (save() and the like) must not try a BEGIN of their own
    markActive(runner, true);
  }

  async nextSavepoint(): Promise<void> {
    await this.open().statements.exec('RELEASE run; SAVEPOINT run');
  }

  async rollbackToSavepoint(): Promise<void> {
    await this.open().statements.all('ROLLBACK TO run');
  }

  async commit(): Promise<void> {
    const { runner, statements } = this.open();
    await statements.all('COMMIT');
    markActive(runner, false);
  }

  async rollback(): Promise<void> {
    const { runner, statements } = this.open();
    markActive(runner, false);
    await statements.all('ROLLBACK');
  }

  transaction(of?: Transaction): Transaction {
    const { runner, statements } = this.open();
    return transactionOf(runner.manager, statements, of);
  }

  async close(): Promise<void> {
    // from now on no statement is prepared on the connection about to close
    this.closed = true;
    await this.opened?.statements.close();
  }

  private open(): { runner: QueryRunner; statements: SqliteStatements } {
    if (this.closed) {
      throw databaseClosing();
    }
    if (!this.opened) {
      // on SQLite the driver hands out its one query runner, on its one connection
      const runner = this.dataSource.createQueryRunner();
      const { databaseConnection } = this.dataSource.driver as unknown as {
        databaseConnection: Database;
      };
      this.opened = { runner, statements: new SqliteStatements(databaseConnection) };
    }
    return this.opened;
  }
}
