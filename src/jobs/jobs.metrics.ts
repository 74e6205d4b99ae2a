import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { Job } from './entities/job.entity';

/**
 * The `jobs` gauge: jobs by kind and state, counted in the jobs table when Prometheus scrapes
 * (through the (kind, state) index), so it agrees with GET /tasks across every instance.
 */
@Injectable()
export class JobsMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
  ) {}

  onModuleInit(): void {
    this.metrics.readAtScrape('jobs', () => this.countByKindAndState());
  }

  async countByKindAndState(): Promise<{ kind: string; state: string; count: number }[]> {
    const rows = await this.jobs
      .createQueryBuilder('j')
      .select('j.kind', 'kind')
      .addSelect('j.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .groupBy('j.kind')
      .addGroupBy('j.state')
      .getRawMany<{ kind: string; state: string; count: string | number }>();
    return rows.map((r) => ({ kind: r.kind, state: r.state, count: Number(r.count) }));
  }
}
