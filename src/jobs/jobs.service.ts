import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { Job } from './entities/job.entity';
import { JobsRepository } from './jobs.repository';

/** Reads job records for the jobs API: whichever instance ran a job, its record is here. */
@Injectable()
export class JobsService {
  constructor(private readonly jobs: JobsRepository) {}

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
}
