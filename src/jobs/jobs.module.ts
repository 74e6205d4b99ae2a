import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeasesModule } from '../leases/leases.module';
import { Job } from './entities/job.entity';
import { JobRecords } from './job-records';
import { JobRunner } from './job-runner.service';
import { JobsController } from './jobs.controller';
import { JobsMetrics } from './jobs.metrics';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobsTypeormRepository } from './jobs.typeorm-repository';
import { OrphanJobSweeper } from './orphan-job-sweeper.service';

@Module({
  imports: [TypeOrmModule.forFeature([Job]), LeasesModule],
  controllers: [JobsController],
  providers: [
    JobsService,
    JobRunner,
    JobRecords,
    OrphanJobSweeper,
    JobsMetrics,
    { provide: JobsRepository, useClass: JobsTypeormRepository },
  ],
  // the leases too: the rates schedule takes one to run once per tick across instances;
  // the repository for retention's prune of ended jobs
  exports: [JobRunner, LeasesModule, JobsRepository],
})
export class JobsModule {}
