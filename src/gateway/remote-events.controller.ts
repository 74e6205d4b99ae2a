import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, ITEMS_SUBJECT, PRODUCTS_SUBJECT } from '../events/domain-events';
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
 * got, and the stream reads what this instance lacks from the store (in order, once each).
 */
@Controller()
export class RemoteEventsController {
  private readonly logger = new Logger('RemoteEvents');

  constructor(private readonly stream: OrderedEventStream) {}

  @EventPattern(PRODUCTS_SUBJECT)
  onProducts(@Payload() message: unknown): void {
    this.relay(message);
  }

  @EventPattern(ITEMS_SUBJECT)
  onItems(@Payload() message: unknown): void {
    this.relay(message);
  }

  private relay(message: unknown): void {
    if (!isEnvelope(message)) {
      this.logger.warn(`dropped a malformed message: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    this.stream.heardOf(message.seq);
  }
}
