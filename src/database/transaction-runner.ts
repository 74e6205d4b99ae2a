import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlDialect } from './sql-dialect';
import { openedTransaction, Transaction, transactionOf } from './transaction';

/**
 * The one place write transactions start. On SQLite TypeORM shares a single connection, so two
 * concurrent `dataSource.transaction()` calls would interleave their BEGIN/COMMIT on it and fail
 * ("cannot start a transaction within a transaction"); there they run one after another through
 * a FIFO queue. PostgreSQL has a pool and real isolation, so transactions run concurrently.
 */
@Injectable()
export class TransactionRunner {
  private readonly serialize: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    sql: SqlDialect,
  ) {
    this.serialize = sql.sqlite;
  }

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let tx: Transaction | undefined;
    const tracked = async (manager: EntityManager) => {
      const current = transactionOf(manager);
      tx = current;
      const value = await work(current);
      for (const last of openedTransaction(current).closing) {
        await last();
      }
      return value;
    };
    let result: Promise<T>;
    if (this.serialize) {
      result = this.tail.then(() => this.dataSource.transaction(tracked));
      // the queue moves on whether this transaction committed or failed
      this.tail = result.catch(() => undefined);
    } else {
      result = this.dataSource.transaction(tracked);
    }
    const value = await result;
    // committed: run what was waiting for it, in the order it was registered
    for (const hook of tx ? openedTransaction(tx).committed : []) {
      hook();
    }
    return value;
  }

  /**
   * Runs `last` inside the transaction `tx` once its work is done, just before COMMIT: what takes
   * a lock every writer needs (the event positions) holds it for as short a time as possible.
   */
  beforeCommit(tx: Transaction, last: () => Promise<void>): void {
    openedTransaction(tx).closing.push(last);
  }

  /** Runs `hook` once the transaction `tx` has committed (never if it rolls back). */
  afterCommit(tx: Transaction, hook: () => void): void {
    openedTransaction(tx).committed.push(hook);
  }
}
