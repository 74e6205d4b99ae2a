import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Job } from './entities/job.entity';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobsTypeormRepository } from './jobs.typeorm-repository';

@Module({
  imports: [TypeOrmModule.forFeature([Job])],
  controllers: [JobsController],
  providers: [JobsService, { provide: JobsRepository, useClass: JobsTypeormRepository }],
  exports: [JobsService],
})
export class JobsModule {}
