import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { appConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { JobDto } from './dto/job.dto';
import { Job, JobState } from './entities/job.entity';
import { JobsRepository } from './jobs.repository';

export interface JobCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  notFound: number;
  failed: number;
}

const MAX_ERRORS = 20;

/** What a job's work reports its progress to; each `add` is persisted, so GET /tasks/{id} shows it. */
export class JobProgress {
  constructor(
    readonly job: Job,
    private readonly persist: (job: Job) => Promise<void>,
    /** Aborted when the service shuts down: the work should stop at the next batch. */
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

/**
 * Runs background jobs, one at a time per kind, and keeps their records in the database. A job
 * is started by a request and returns at once; its work runs on, reporting progress.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  /** Per kind, the job being started or run by this instance: a second start returns it. */
  private readonly current = new Map<string, Promise<Job>>();
  private readonly active = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.transactions.run((tx) =>
      this.jobs.failRunning(
        tx,
        'interrupted: the service stopped before the job finished',
        new Date(),
      ),
    );
    if (interrupted > 0) {
      this.logger.warn(`marked ${interrupted} interrupted job(s) failed`);
    }
  }

  /** Before the database closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.active]);
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
   * Starts `work` as a new job of `kind`, unless one of that kind is already running here, in
   * which case that job is returned and nothing new starts. `total` is computed only for a new job.
   */
  startExclusive(kind: string, total: () => Promise<number>, work: JobWork): Promise<Job> {
    const existing = this.current.get(kind);
    if (existing) {
      return existing;
    }
    const started = this.create(kind, total, work);
    this.current.set(kind, started);
    started.catch(() => this.current.delete(kind));
    return started;
  }

  private async create(kind: string, total: () => Promise<number>, work: JobWork): Promise<Job> {
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
      owner: this.app.instanceId,
      startedAt: new Date(),
      finishedAt: null,
    });
    await this.save(job, 'job.started');
    this.logger.log({ msg: 'job started', job_id: job.id, kind, total: job.total });
    const run = this.execute(job, work).finally(() => {
      this.current.delete(kind);
      this.active.delete(run);
    });
    this.active.add(run);
    return { ...job };
  }

  private async execute(job: Job, work: JobWork): Promise<void> {
    const progress = new JobProgress(job, (j) => this.save(j), this.shutdown.signal);
    try {
      await work(progress);
      job.state = this.shutdown.signal.aborted ? 'failed' : finalState(job);
      if (this.shutdown.signal.aborted) {
        job.errors = JSON.stringify(
          [...(JSON.parse(job.errors) as string[]), 'stopped by a shutdown'].slice(-MAX_ERRORS),
        );
      }
    } catch (error) {
      job.state = 'failed';
      const reason = error instanceof Error ? error.message : String(error);
      job.errors = JSON.stringify(
        [...(JSON.parse(job.errors) as string[]), reason].slice(0, MAX_ERRORS),
      );
      this.logger.error({ msg: 'job failed', job_id: job.id, kind: job.kind, reason });
    }
    job.finishedAt = new Date();
    try {
      await this.save(job, 'job.finished');
    } catch (error) {
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

  private async save(job: Job, event?: 'job.started' | 'job.finished'): Promise<void> {
    // a copy, so the row written is the state at this moment even while the work goes on
    const snapshot = Object.assign(new Job(), job);
    await this.transactions.run(async (tx) => {
      await this.jobs.save(tx, snapshot);
      if (event) {
        const { status_url: _url, ...payload } = JobDto.from(snapshot);
        await this.events.record(tx, event, payload);
      }
    });
  }
}
