import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeasesModule } from '../leases/leases.module';
import { Job } from './entities/job.entity';
import { JobsController } from './jobs.controller';
import { JobsMetrics } from './jobs.metrics';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobsTypeormRepository } from './jobs.typeorm-repository';

@Module({
  imports: [TypeOrmModule.forFeature([Job]), LeasesModule],
  controllers: [JobsController],
  providers: [
    JobsService,
    JobsMetrics,
    { provide: JobsRepository, useClass: JobsTypeormRepository },
  ],
  // the leases too: the rates schedule takes one to run once per tick across instances
  exports: [JobsService, LeasesModule],
})
export class JobsModule {}
