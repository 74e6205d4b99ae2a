import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { appConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { LeasesService } from '../leases/leases.service';
import { Job, JobState } from './entities/job.entity';
import { finalState, JobProgress, JobWork, withProblem } from './job-progress';
import { JobRecords, newJobRecord } from './job-records';
import { jobLease, JOBS_LOG_CONTEXT } from './jobs.constants';
import { JobsRepository } from './jobs.repository';

const reasonOf = (signal: AbortSignal): string =>
  signal.reason instanceof Error ? signal.reason.message : String(signal.reason);

interface RunningJob {
  job: Job;
  controller: AbortController;
  heartbeat: NodeJS.Timeout;
  /** Set once the end is being recorded: progress writes stop. */
  ending?: Promise<void>;
  done?: Promise<void>;
}

/**
 * Runs background jobs, one at a time per kind across every instance on the database. A job is
 * started by a request and returns at once; its work runs on, reporting progress. The lease
 * `job:<kind>` is taken in the transaction that records the start, renewed while the work runs,
 * and given up in the transaction that records the end.
 */
@Injectable()
export class JobRunner implements OnModuleDestroy {
  private readonly logger = new Logger(JOBS_LOG_CONTEXT);
  /** Per kind, the job being started or run by this instance: a second start returns it. */
  private readonly current = new Map<string, Promise<Job>>();
  private readonly running = new Map<string, RunningJob>();
  private stopping = false;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly records: JobRecords,
    private readonly transactions: TransactionRunner,
    private readonly leases: LeasesService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  /**
   * First step of a shutdown (before the outbox's last flush, the WebSocket close and the
   * database close): running jobs are told to stop at their next batch and recorded as failed
   * with their progress. One that does not stop within half the shutdown deadline is recorded
   * anyway, so the record is right even if the process has to exit under it.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const runs = [...this.running.values()];
    for (const run of runs) {
      run.controller.abort(new Error('stopped by a shutdown'));
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.app.shutdownTimeoutMs / 2);
    });
    const outcome = await Promise.race([
      Promise.allSettled(runs.map((r) => r.done ?? Promise.resolve())),
      grace,
    ]);
    clearTimeout(timer);
    if (outcome === 'late') {
      await Promise.allSettled(
        runs.map((run) =>
          this.end(run, 'failed', 'stopped by a shutdown before its work could finish'),
        ),
      );
    }
  }

  /** True while this instance starts or runs a job of `kind`. */
  isRunning(kind: string): boolean {
    return this.current.has(kind);
  }

  /**
   * Starts `work` as a new job of `kind`, unless one of that kind is already running — here or on
   * another instance — in which case that job is returned and nothing new starts. `total` is
   * computed only when this instance may start one.
   */
  startExclusive(kind: string, total: () => Promise<number>, work: JobWork): Promise<Job> {
    if (this.stopping) {
      return Promise.reject(
        new DomainError(
          ErrorCode.ShuttingDown,
          'this instance is shutting down and starts no new job; try again',
        ),
      );
    }
    const existing = this.current.get(kind);
    const finishing = this.running.get(kind);
    if (existing && finishing?.ending && finishing.done) {
      // its end is being recorded (a reader may already see it ended): the next one starts after
      return finishing.done.then(() => this.startExclusive(kind, total, work));
    }
    if (existing) {
      return existing;
    }
    const started = this.create(kind, total, work);
    const job = started.then(({ job: j }) => j);
    this.current.set(kind, job);
    started.then(
      ({ mine }) => {
        if (!mine) {
          this.current.delete(kind);
        }
      },
      () => this.current.delete(kind),
    );
    return job;
  }

  private async create(
    kind: string,
    total: () => Promise<number>,
    work: JobWork,
  ): Promise<{ job: Job; mine: boolean }> {
    const held = await this.leases.live();
    const holder = held.get(jobLease(kind));
    if (holder !== undefined && holder !== this.leases.owner) {
      // cheap check first: no count query while another instance runs one
      const other = await this.jobs.findRunning(kind);
      if (other) {
        return { job: other, mine: false };
      }
    }
    const job = newJobRecord(kind, await total(), this.leases.owner);
    const other = await this.transactions.run(async (tx) => {
      if (!(await this.leases.acquire(jobLease(kind), { tx }))) {
        return (await this.jobs.findRunning(kind, tx)) ?? 'starting';
      }
      await this.records.insertStarted(tx, job);
      return undefined;
    });
    if (other === 'starting') {
      throw new DomainError(
        ErrorCode.Conflict,
        `a ${kind} job is starting on another instance; try again`,
      );
    }
    if (other) {
      return { job: other, mine: false };
    }
    this.logger.log({ msg: 'job started', job_id: job.id, kind, total: job.total });
    const run: RunningJob = {
      job,
      controller: new AbortController(),
      // renewed well within its lifetime, so one slow renewal does not lose it
      heartbeat: setInterval(() => void this.renew(run), Math.max(200, this.leases.ttlMs / 3)),
    };
    this.running.set(kind, run);
    run.done = this.execute(run, work).finally(() => {
      this.current.delete(kind);
      this.running.delete(kind);
    });
    return { job: { ...job }, mine: true };
  }

  private async execute(run: RunningJob, work: JobWork): Promise<void> {
    const { job, controller } = run;
    const progress = new JobProgress(
      job,
      (j) => (run.ending ? Promise.resolve() : this.records.saveProgress(j)),
      controller.signal,
    );
    try {
      await work(progress);
      if (controller.signal.aborted) {
        await this.end(run, 'failed', reasonOf(controller.signal));
      } else {
        await this.end(run, finalState(job));
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'job failed', job_id: job.id, kind: job.kind, reason });
      await this.end(run, 'failed', reason);
    }
  }

  /** Records the end of a job once, gives its lease up in the same transaction. */
  private end(run: RunningJob, state: JobState, problem?: string): Promise<void> {
    run.ending ??= this.recordEnd(run, state, problem);
    return run.ending;
  }

  private async recordEnd(run: RunningJob, state: JobState, problem?: string): Promise<void> {
    clearInterval(run.heartbeat);
    const job = run.job;
    job.state = state;
    if (problem !== undefined) {
      job.errors = withProblem(job.errors, problem);
    }
    job.finishedAt = new Date();
    try {
      await this.records.finish(job);
    } catch (error) {
      // the lease expires by itself, and then any instance marks the job failed
      this.logger.error({
        msg: 'could not record the end of a job',
        job_id: job.id,
        error: String(error),
      });
    }
    this.logger.log({
      msg: 'job finished',
      job_id: job.id,
      kind: job.kind,
      state: job.state,
      processed: job.processed,
      failed: job.failed,
      duration_ms: job.finishedAt.getTime() - job.startedAt.getTime(),
    });
  }

  /** The heartbeat: a job whose lease is lost stops, since another instance may now run one. */
  private async renew(run: RunningJob): Promise<void> {
    if (run.ending) {
      return;
    }
    try {
      if (!(await this.leases.renew(jobLease(run.job.kind)))) {
        this.logger.error({
          msg: 'lost the lease of a running job; stopping it',
          job_id: run.job.id,
          kind: run.job.kind,
        });
        run.controller.abort(
          new Error('stopped: its lease expired (the instance stalled) and was given up'),
        );
      }
    } catch (error) {
      // the database is unreachable for now: the next beat tries again, the lease may still hold
      this.logger.warn(`could not renew the lease of job ${run.job.id}: ${String(error)}`);
    }
  }
}
