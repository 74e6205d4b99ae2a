import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type JobState = 'running' | 'succeeded' | 'partially_failed' | 'failed';

/** The record's counters: the columns GET /tasks shows; a job's work decides what it counts. */
export const JOB_COUNTERS = [
  'processed',
  'created',
  'updated',
  'unchanged',
  'notFound',
  'failed',
] as const;

export type JobCounts = Record<(typeof JOB_COUNTERS)[number], number>;

@Entity({ name: 'jobs' })
@Index('IDX_jobs_kind_state', ['kind', 'state'])
@Index('IDX_jobs_started_at', ['startedAt'])
// retention deletes ended jobs by age
@Index('IDX_jobs_finished_at', ['finishedAt'])
export class Job {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  @Column({ type: 'varchar', length: 20 })
  state!: JobState;

  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  created!: number;

  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  unchanged!: number;

  @Column({ name: 'not_found', type: 'integer', default: 0 })
  notFound!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  /** The first problems, as a JSON array of strings (text, so both engines store it alike). */
  @Column({ type: 'text', default: '[]' })
  errors!: string;

  /** The instance that runs the job. */
  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  @Column({ name: 'started_at' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;
}
