import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { appConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { LeasesService } from '../leases/leases.service';
import { JobDto } from './dto/job.dto';
import { Job, JobState } from './entities/job.entity';
import { JobsRepository } from './jobs.repository';
import { Transaction } from '../database/transaction';

export interface JobCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  notFound: number;
  failed: number;
}

const MAX_ERRORS = 20;

/** The lease that makes a job of `kind` run on one instance at a time, cluster-wide. */
export const jobLease = (kind: string): string => `job:${kind}`;

/** What a job's work reports its progress to; each `add` is persisted, so GET /tasks/{id} shows it. */
export class JobProgress {
  constructor(
    readonly job: Job,
    private readonly persist: (job: Job) => Promise<void>,
    /** Aborted when the job must stop (a shutdown, a lost lease): the work should stop at the next batch. */
    readonly signal: AbortSignal,
  ) {}

  async add(counts: Partial<JobCounts>, errors: string[] = []): Promise<void> {
    const job = this.job;
    job.processed += counts.processed ?? 0;
    job.created += counts.created ?? 0;
    job.updated += counts.updated ?? 0;
    job.unchanged += counts.unchanged ?? 0;
    job.notFound += counts.notFound ?? 0;
    job.failed += counts.failed ?? 0;
    const kept = JSON.parse(job.errors) as string[];
    if (kept.length < MAX_ERRORS && errors.length > 0) {
      job.errors = JSON.stringify([...kept, ...errors].slice(0, MAX_ERRORS));
    }
    await this.persist(job);
  }
}

export type JobWork = (progress: JobProgress) => Promise<void>;

function finalState(job: Job): JobState {
  if (job.failed === 0) {
    return 'succeeded';
  }
  return job.failed >= job.processed ? 'failed' : 'partially_failed';
}

/** The errors with `problem` added; when the list is full, `problem` replaces the last one. */
function withProblem(errors: string, problem: string): string {
  const kept = JSON.parse(errors) as string[];
  return JSON.stringify([...kept.slice(0, MAX_ERRORS - 1), problem]);
}

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
 * Runs background jobs, one at a time per kind across every instance on the database, and keeps
 * their records there. A job is started by a request and returns at once; its work runs on,
 * reporting progress. The lease `job:<kind>` is taken in the transaction that records the start,
 * renewed while the work runs, and given up in the transaction that records the end; a job
 * whose owner no longer holds its lease (a crashed instance) is marked failed by any instance.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  /** Per kind, the job being started or run by this instance: a second start returns it. */
  private readonly current = new Map<string, Promise<Job>>();
  private readonly running = new Map<string, RunningJob>();
  private stopping = false;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly leases: LeasesService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.failOrphans();
    // a crashed instance's job is found once its lease has expired
    this.sweeper = setInterval(() => {
      this.failOrphans().catch((error: unknown) =>
        this.logger.warn(`could not check for interrupted jobs: ${String(error)}`),
      );
    }, this.leases.ttlMs);
    this.sweeper.unref();
  }

  /**
   * First step of a shutdown (before the outbox's last flush, the WebSocket close and the
   * database close): running jobs are told to stop at their next batch and recorded as failed
   * with their progress. One that does not stop within half the shutdown deadline is recorded
   * anyway, so the record is right even if the process has to exit under it.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
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

  list(limit: number, offset: number): Promise<Page<Job>> {
    return this.jobs.list(limit, offset);
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.findById(id);
    if (!job) {
      throw DomainError.notFound('job', id);
    }
    return job;
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
    const job = Object.assign(new Job(), {
      id: randomUUID(),
      kind,
      state: 'running',
      total: await total(),
      processed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      notFound: 0,
      failed: 0,
      errors: '[]',
      owner: this.leases.owner,
      startedAt: new Date(),
      finishedAt: null,
    });
    const other = await this.transactions.run(async (tx) => {
      if (!(await this.leases.acquire(jobLease(kind), { tx }))) {
        return (await this.jobs.findRunning(kind, tx)) ?? 'starting';
      }
      // holding the lease, any other running job of this kind is a dead instance's
      for (const stale of await this.jobs.listRunning(tx, kind)) {
        await this.interrupt(tx, stale);
      }
      await this.jobs.insert(tx, Object.assign(new Job(), job));
      await this.record(tx, 'job.started', job);
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
      (j) => (run.ending ? Promise.resolve() : this.saveProgress(j)),
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
      await this.transactions.run(async (tx) => {
        if (await this.jobs.updateIfRunning(tx, Object.assign(new Job(), job))) {
          await this.record(tx, 'job.finished', job);
        }
        await this.leases.release(jobLease(job.kind), tx);
      });
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
      if (await this.transactions.run((tx) => this.interrupt(tx, job))) {
        failed++;
      }
    }
    if (failed > 0) {
      this.logger.warn(`marked ${failed} interrupted job(s) failed`);
    }
  }

  /** Records a dead instance's job as failed, with the progress it had saved. */
  private async interrupt(tx: Transaction, job: Job): Promise<boolean> {
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

  private saveProgress(job: Job): Promise<void> {
    // a copy, so the row written is the state at this moment even while the work goes on
    const snapshot = Object.assign(new Job(), job);
    return this.transactions.run(async (tx) => {
      await this.jobs.updateIfRunning(tx, snapshot);
    });
  }

  private async record(
    tx: Transaction,
    event: 'job.started' | 'job.finished',
    job: Job,
  ): Promise<void> {
    const { status_url: _url, ...payload } = JobDto.from(job);
    await this.events.record(tx, event, payload);
  }
}
