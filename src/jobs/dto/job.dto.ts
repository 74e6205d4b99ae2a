import { ApiProperty } from '@nestjs/swagger';
import { Job, JobState } from '../entities/job.entity';

const STATES: JobState[] = ['running', 'succeeded', 'partially_failed', 'failed'];

export class JobDto {
  @ApiProperty({ example: '3f1c2a4e-8b7d-4c1e-9a0b-2d3e4f5a6b7c' })
  job_id!: string;

  @ApiProperty({ example: 'products.refresh' })
  kind!: string;

  @ApiProperty({ enum: STATES, example: 'running' })
  state!: JobState;

  @ApiProperty({ example: 1234 })
  total!: number;

  @ApiProperty({ example: 500 })
  processed!: number;

  @ApiProperty({ example: 3 })
  created!: number;

  @ApiProperty({ example: 40 })
  updated!: number;

  @ApiProperty({ example: 450 })
  unchanged!: number;

  @ApiProperty({ example: 2 })
  not_found!: number;

  @ApiProperty({ example: 5 })
  failed!: number;

  @ApiProperty({
    type: [String],
    example: ['external_id 17: upstream answered 503'],
    description: 'The first 20 problems',
  })
  errors!: string[];

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  started_at!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  finished_at!: string | null;

  @ApiProperty({ example: '/tasks/3f1c2a4e-8b7d-4c1e-9a0b-2d3e4f5a6b7c' })
  status_url!: string;

  static from(job: Job): JobDto {
    return {
      job_id: job.id,
      kind: job.kind,
      state: job.state,
      total: job.total,
      processed: job.processed,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      not_found: job.notFound,
      failed: job.failed,
      errors: JSON.parse(job.errors) as string[],
      started_at: job.startedAt.toISOString(),
      finished_at: job.finishedAt ? job.finishedAt.toISOString() : null,
      status_url: `/tasks/${job.id}`,
    };
  }
}
