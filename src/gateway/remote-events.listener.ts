import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, ITEMS_SUBJECT, PRODUCTS_SUBJECT } from '../events/domain-events';
import { NatsConnection } from '../events/nats-connection';
import { OrderedEventStream } from '../events/stream/ordered-event-stream';
import { DOMAIN_EVENT_NAMES } from './domain-event-list';

function isEnvelope(value: unknown): value is EventEnvelope {
  const v = value as Partial<EventEnvelope> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    Number.isSafeInteger(v.seq) &&
    (v.seq as number) > 0 &&
    typeof v.origin === 'string' &&
    typeof v.ts === 'string' &&
    typeof v.payload === 'object' &&
    (DOMAIN_EVENT_NAMES as string[]).includes(v.event as string)
  );
}

/**
 * Events of the other instances, from NATS: each tells the ordered stream how far the stream has
 * got, and the stream reads what this instance lacks from the store (in order, once each). It
 * listens on the service's own NATS connection, which never gets back what it published: the
 * instance that relays does not pay for its own events a second time (Nest's transport would
 * deserialize and dispatch each one through its handler pipeline).
 */
@Injectable()
export class RemoteEventsListener implements OnModuleInit {
  private readonly logger = new Logger('RemoteEvents');

  constructor(
    private readonly nats: NatsConnection,
    private readonly stream: OrderedEventStream,
  ) {}

  onModuleInit(): void {
    for (const subject of [PRODUCTS_SUBJECT, ITEMS_SUBJECT]) {
      this.nats.onMessage(subject, (data) => this.relay(data));
    }
  }

  private relay(data: Uint8Array): void {
    const text = Buffer.from(data).toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (!isEnvelope(message)) {
      this.logger.warn(`dropped a malformed message: ${text.slice(0, 200)}`);
      return;
    }
    this.stream.heardOf(message.seq);
  }
}
