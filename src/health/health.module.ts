import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { NatsHealthIndicator } from './nats.health';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [NatsHealthIndicator],
})
export class HealthModule {}
