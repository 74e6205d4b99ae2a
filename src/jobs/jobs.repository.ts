import { Transaction } from '../database/transaction';
import { Page } from '../common/pagination.dto';
import { Job } from './entities/job.entity';

export abstract class JobsRepository {
  abstract findById(id: string): Promise<Job | null>;
  abstract findRunning(kind: string, tx?: Transaction): Promise<Job | null>;
  /** Every job still `running` (of `kind` when given), on any instance. */
  abstract listRunning(tx?: Transaction, kind?: string): Promise<Job[]>;
  abstract list(limit: number, offset: number): Promise<Page<Job>>;
  abstract insert(tx: Transaction, job: Job): Promise<void>;
  /**
   * Writes the job's counters, errors and — once it has ended — its state, only while its row
   * is still `running`: a record that has ended is final. False when it had ended already.
   */
  abstract updateIfRunning(tx: Transaction, job: Job): Promise<boolean>;
  /** Retention: deletes up to `limit` jobs that ended before `before` (never a running one). */
  abstract pruneEnded(tx: Transaction, before: Date, limit: number): Promise<number>;
}
