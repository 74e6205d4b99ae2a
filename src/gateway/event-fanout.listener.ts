import { Injectable, OnModuleInit } from '@nestjs/common';
import { OrderedEventStream } from '../events/stream/ordered-event-stream';
import { EventsGateway } from './events.gateway';

/** Feeds the gateway with the event stream in order, this instance's events and the others'. */
@Injectable()
export class EventFanoutListener implements OnModuleInit {
  constructor(
    private readonly stream: OrderedEventStream,
    private readonly gateway: EventsGateway,
  ) {}

  onModuleInit(): void {
    this.stream.onEvent((envelope) => this.gateway.broadcast(envelope));
  }
}
