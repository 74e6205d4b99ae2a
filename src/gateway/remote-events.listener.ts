import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ThrottledWarning } from '../common/throttled-log';
import { ITEMS_SUBJECT, PRODUCTS_SUBJECT } from '../events/domain-events';
import { NatsConnection } from '../events/nats-connection';
import { OrderedEventStream } from '../events/stream/ordered-event-stream';
import { MetricsService } from '../metrics/metrics.service';
import { DROP_REASONS, RemoteEnvelopeCheck } from './remote-envelope.check';

/**
 * Events of the other instances, from NATS: each tells the ordered stream how far the stream has
 * got, and the stream reads what this instance lacks from the store (in order, once each). It
 * listens on the service's own NATS connection, which never gets back what it published: the
 * instance that relays does not pay for its own events a second time (Nest's transport would
 * deserialize and dispatch each one through its handler pipeline). Anyone who may publish on
 * the subjects can send anything: what the catalog does not describe is dropped and counted
 * (nats_events_dropped_total), with a warning at most every 10 s.
 */
@Injectable()
export class RemoteEventsListener implements OnModuleInit {
  private readonly dropped = new ThrottledWarning(new Logger('RemoteEvents'));

  constructor(
    private readonly nats: NatsConnection,
    private readonly stream: OrderedEventStream,
    private readonly check: RemoteEnvelopeCheck,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.natsEventReasons(DROP_REASONS);
    for (const subject of [PRODUCTS_SUBJECT, ITEMS_SUBJECT]) {
      this.nats.onMessage(subject, (data) => this.relay(subject, data));
    }
  }

  private relay(subject: string, data: Uint8Array): void {
    const verdict = this.check.check(data);
    if ('dropped' in verdict) {
      this.metrics.natsEventDropped(verdict.dropped);
      this.dropped.warn(`dropped a message on ${subject}: ${verdict.dropped} (${verdict.why})`);
      return;
    }
    this.stream.heardOf(verdict.seq);
  }
}
