import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { NatsHealthIndicator } from './nats.health';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [NatsHealthIndicator, ReadinessService],
})
export class HealthModule {}
