import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { Job } from './entities/job.entity';

export abstract class JobsRepository {
  abstract findById(id: string): Promise<Job | null>;
  abstract findRunning(kind: string, tx?: EntityManager): Promise<Job | null>;
  abstract list(limit: number, offset: number): Promise<Page<Job>>;
  abstract save(tx: EntityManager, job: Job): Promise<Job>;
  /** Marks every job still `running` as failed; returns how many. */
  abstract failRunning(tx: EntityManager, reason: string, at: Date): Promise<number>;
}
