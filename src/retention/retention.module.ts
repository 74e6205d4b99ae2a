import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { RatesModule } from '../rates/rates.module';
import { RetentionService } from './retention.service';

/** Prunes old rate history and ended jobs; sits above the modules whose tables it prunes. */
@Module({
  imports: [JobsModule, RatesModule],
  providers: [RetentionService],
})
export class RetentionModule {}
