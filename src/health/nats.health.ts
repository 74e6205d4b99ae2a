import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { NatsConnection } from '../events/nats-connection';

/**
 * NATS as readiness reports it: `up` only while connected; otherwise `down` with its state (off,
 * connecting, disconnected). Never a reason to be unready: events wait in the outbox meanwhile.
 */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly nats: NatsConnection,
  ) {}

  check(key = 'nats'): HealthIndicatorResult {
    const details = { state: this.nats.state, jetstream: this.nats.jetstream };
    const check = this.indicator.check(key);
    return this.nats.connected ? check.up(details) : check.down(details);
  }
}
