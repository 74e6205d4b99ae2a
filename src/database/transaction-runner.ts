import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

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

  constructor(private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'sqlite';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) {
      return this.dataSource.transaction(work);
    }
    const result = this.tail.then(() => this.dataSource.transaction(work));
    // the queue moves on whether this transaction committed or failed
    this.tail = result.catch(() => undefined);
    return result;
  }
}
