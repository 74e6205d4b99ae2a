import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppDataSource } from './app-data-source';
import { GroupCommit } from './group-commit';
import { SqlDialect } from './sql-dialect';
import { SqliteGroupSession } from './sqlite-group-session';
import {
  openedTransaction,
  runCommitted,
  Transaction,
  transactionOf,
  runWork,
  writeGathered,
  BatchWriter,
  gather as gatherFor,
} from './transaction';

/**
 * The one place write transactions start. On SQLite TypeORM shares a single connection, so two
 * concurrent `dataSource.transaction()` calls would interleave their BEGIN/COMMIT on it and fail
 * ("cannot start a transaction within a transaction"); there runs are queued and committed in
 * groups, each run in a savepoint of its own (GroupCommit). PostgreSQL has a pool and real
 * isolation, so transactions run concurrently, each alone.
 */
@Injectable()
export class TransactionRunner {
  private readonly groups?: GroupCommit;

  constructor(
    private readonly dataSource: DataSource,
    sql: SqlDialect,
  ) {
    if (sql.sqlite) {
      const groups = new GroupCommit(new SqliteGroupSession(dataSource));
      this.groups = groups;
      // its prepared statements go once every write of the shutdown is done
      if (dataSource instanceof AppDataSource) {
        dataSource.onDestroy(() => groups.close());
      }
    }
  }

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.groups) {
      return this.groups.run(work);
    }
    let tx: Transaction | undefined;
    const value = await this.dataSource.transaction(async (manager) => {
      const open = transactionOf(manager);
      tx = open;
      const result = await runWork(open, work);
      await writeGathered(open);
      return result;
    });
    if (tx) {
      runCommitted(tx);
    }
    return value;
  }

  /**
   * Adds `items` to what `writer` writes in one go for every run of the physical transaction
   * `tx` is part of, after the last of them, just before COMMIT (the group's, on SQLite): one
   * statement for a group's events instead of one per run. `writer` gets a handle on that
   * transaction and the items of the runs that succeeded, in the order they ran; what it
   * registers with `afterCommit` runs before the runs' own hooks.
   */
  gather<T>(tx: Transaction, writer: BatchWriter<T>, items: T[]): void {
    gatherFor(tx, writer, items);
  }

  /** Runs `hook` once the transaction `tx` has committed (never if it rolls back). */
  afterCommit(tx: Transaction, hook: () => void): void {
    openedTransaction(tx).committed.push(hook);
  }

  /** Waits for the queued runs, then releases what the SQLite groups hold on the connection. */
  async close(): Promise<void> {
    await this.groups?.close();
  }
}
