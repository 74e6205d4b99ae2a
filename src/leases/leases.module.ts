import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Lease } from './entities/lease.entity';
import { LeasesRepository } from './leases.repository';
import { LeasesService } from './leases.service';
import { LeasesTypeormRepository } from './leases.typeorm-repository';

/** Cluster-wide leases in the database (table `leases`). */
@Module({
  imports: [TypeOrmModule.forFeature([Lease])],
  providers: [LeasesService, { provide: LeasesRepository, useClass: LeasesTypeormRepository }],
  exports: [LeasesService],
})
export class LeasesModule {}
