import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { NatsConnection } from '../events/nats-connection';

/** Reports NATS state; NATS down is shown but never makes the service unready (events wait in the outbox). */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly nats: NatsConnection,
  ) {}

  check(key = 'nats'): HealthIndicatorResult {
    return this.indicator.check(key).up({ state: this.nats.state, jetstream: this.nats.jetstream });
  }
}
