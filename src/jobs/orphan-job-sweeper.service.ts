import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { LeasesService } from '../leases/leases.service';
import { JobRecords } from './job-records';
import { jobLease, JOBS_LOG_CONTEXT } from './jobs.constants';
import { JobsRepository } from './jobs.repository';

/**
 * Marks failed the jobs whose instance died: at startup (this instance's own jobs from before a
 * crash or a kill) and then once per lease lifetime, since another instance's job is known to be
 * orphaned only once its lease has expired.
 */
@Injectable()
export class OrphanJobSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JOBS_LOG_CONTEXT);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly records: JobRecords,
    private readonly transactions: TransactionRunner,
    private readonly leases: LeasesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.failOrphans();
    this.sweeper = setInterval(() => {
      this.failOrphans().catch((error: unknown) =>
        this.logger.warn(`could not check for interrupted jobs: ${String(error)}`),
      );
    }, this.leases.ttlMs);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** Marks failed every running job whose owner no longer holds its kind's lease. */
  private async failOrphans(): Promise<void> {
    // jobs first, then leases: a job that starts in between is not in the list; one that ended
    // in between is skipped by the conditional update
    const running = await this.jobs.listRunning();
    if (running.length === 0) {
      return;
    }
    const live = await this.leases.live();
    const orphans = running.filter((job) => live.get(jobLease(job.kind)) !== job.owner);
    let failed = 0;
    for (const job of orphans) {
      if (await this.transactions.run((tx) => this.records.interrupt(tx, job))) {
        failed++;
      }
    }
    if (failed > 0) {
      this.logger.warn(`marked ${failed} interrupted job(s) failed`);
    }
  }
}
