import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { LeasesService } from '../leases/leases.service';
import { JobDto } from './dto/job.dto';
import { Job, JOB_COUNTERS, JobCounts } from './entities/job.entity';
import { withProblem } from './job-progress';
import { jobLease } from './jobs.constants';
import { JobsRepository } from './jobs.repository';

/** A new job's record: running, on `owner`, nothing counted yet. */
export function newJobRecord(kind: string, total: number, owner: string): Job {
  const counts = Object.fromEntries(JOB_COUNTERS.map((counter) => [counter, 0])) as JobCounts;
  return Object.assign(new Job(), {
    id: randomUUID(),
    kind,
    state: 'running' as const,
    total,
    ...counts,
    errors: '[]',
    owner,
    startedAt: new Date(),
    finishedAt: null,
  });
}

/**
 * The writes to job records. Each start and end is recorded with its `job.started` or
 * `job.finished` event in one transaction, so the event goes out exactly when the record
 * changes; a record that has ended is never written again.
 */
@Injectable()
export class JobRecords {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly leases: LeasesService,
  ) {}

  /** In the transaction that took the kind's lease: any other running job of it is a dead instance's. */
  async insertStarted(tx: Transaction, job: Job): Promise<void> {
    for (const stale of await this.jobs.listRunning(tx, job.kind)) {
      await this.interrupt(tx, stale);
    }
    await this.jobs.insert(tx, Object.assign(new Job(), job));
    await this.record(tx, 'job.started', job);
  }

  saveProgress(job: Job): Promise<void> {
    // a copy, so the row written is the state at this moment even while the work goes on
    const snapshot = Object.assign(new Job(), job);
    return this.transactions.run(async (tx) => {
      await this.jobs.updateIfRunning(tx, snapshot);
    });
  }

  /** Records the end of a job that has its final state, and gives its lease up, in one transaction. */
  finish(job: Job): Promise<void> {
    return this.transactions.run(async (tx) => {
      if (await this.jobs.updateIfRunning(tx, Object.assign(new Job(), job))) {
        await this.record(tx, 'job.finished', job);
      }
      await this.leases.release(jobLease(job.kind), tx);
    });
  }

  /** Records a dead instance's job as failed, with the progress it had saved. */
  async interrupt(tx: Transaction, job: Job): Promise<boolean> {
    job.state = 'failed';
    job.finishedAt = new Date();
    job.errors = withProblem(
      job.errors,
      `interrupted: instance ${job.owner} stopped before the job finished`,
    );
    if (!(await this.jobs.updateIfRunning(tx, job))) {
      return false;
    }
    await this.record(tx, 'job.finished', job);
    return true;
  }

  private async record(
    tx: Transaction,
    event: 'job.started' | 'job.finished',
    job: Job,
  ): Promise<void> {
    // the job as GET /tasks/{id} shows it, without the URL
    const { status_url: _url, ...payload } = JobDto.from(job);
    await this.events.record(tx, event, payload);
  }
}
