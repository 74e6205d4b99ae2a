import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, ITEMS_SUBJECT, PRODUCTS_SUBJECT } from '../events/domain-events';
import { DomainEvents } from '../events/domain-events.service';
import { DOMAIN_EVENT_NAMES } from './domain-event-list';
import { EventsGateway } from './events.gateway';

function isEnvelope(value: unknown): value is EventEnvelope {
  const v = value as Partial<EventEnvelope> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.origin === 'string' &&
    typeof v.ts === 'string' &&
    typeof v.payload === 'object' &&
    (DOMAIN_EVENT_NAMES as string[]).includes(v.event as string)
  );
}

/**
 * Events of the other instances, from NATS, to this instance's WebSocket clients. This
 * instance's own events reach its clients directly at commit, so they are not sent twice.
 */
@Controller()
export class RemoteEventsController {
  private readonly logger = new Logger('RemoteEvents');

  constructor(
    private readonly gateway: EventsGateway,
    private readonly events: DomainEvents,
  ) {}

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
    if (message.origin !== this.events.origin) {
      this.gateway.broadcast(message);
    }
  }
}
