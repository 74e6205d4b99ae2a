import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events.service';
import { EventsGateway } from './events.gateway';

/** Feeds the gateway with this instance's committed events (other instances' come over NATS). */
@Injectable()
export class EventFanoutListener implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly gateway: EventsGateway,
  ) {}

  onModuleInit(): void {
    this.events.onCommitted((envelope) => this.gateway.broadcast(envelope));
  }
}
