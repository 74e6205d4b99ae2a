import { Job, JOB_COUNTERS, JobCounts, JobState } from './entities/job.entity';

/** A record keeps the first problems only: enough to diagnose, bounded however large the job. */
const MAX_ERRORS = 20;

/**
 * What a job's work reports its progress to; each `add` is persisted, so GET /tasks/{id} shows
 * it. The work owns its tally and says what it adds; the runner only sums and stores it.
 */
export class JobProgress {
  constructor(
    readonly job: Job,
    private readonly persist: (job: Job) => Promise<void>,
    /** Aborted when the job must stop (a shutdown, a lost lease): the work should stop at the next batch. */
    readonly signal: AbortSignal,
  ) {}

  async add(counts: Partial<JobCounts>, errors: string[] = []): Promise<void> {
    const job = this.job;
    for (const counter of JOB_COUNTERS) {
      job[counter] += counts[counter] ?? 0;
    }
    const kept = JSON.parse(job.errors) as string[];
    if (kept.length < MAX_ERRORS && errors.length > 0) {
      job.errors = JSON.stringify([...kept, ...errors].slice(0, MAX_ERRORS));
    }
    await this.persist(job);
  }
}

export type JobWork = (progress: JobProgress) => Promise<void>;

/** How a job whose work returned ends: by how many of the items it processed failed. */
export function finalState(job: Job): JobState {
  if (job.failed === 0) {
    return 'succeeded';
  }
  return job.failed >= job.processed ? 'failed' : 'partially_failed';
}

/** The errors with `problem` added; when the list is full, `problem` replaces the last one. */
export function withProblem(errors: string, problem: string): string {
  const kept = JSON.parse(errors) as string[];
  return JSON.stringify([...kept.slice(0, MAX_ERRORS - 1), problem]);
}
