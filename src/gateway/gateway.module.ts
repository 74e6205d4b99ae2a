import { Module } from '@nestjs/common';
import { DomainEventRegistry } from '../events/event-catalog';
import { EventCatalog } from '../events/event-catalog.service';
import { DOMAIN_EVENTS } from './domain-event-list';
import { EventFanoutListener } from './event-fanout.listener';
import { EventFeedModule } from './feed/event-feed.module';
import { EventReplay } from './event-replay';
import { EventsGateway } from './events.gateway';
import { GatewayMetrics } from './gateway.metrics';
import { HandshakeGate } from './handshake-gate';
import { WEBSOCKET_CHANNEL } from './frames';
import { RemoteEnvelopeCheck } from './remote-envelope.check';
import { RemoteEventsListener } from './remote-events.listener';

/**
 * Events to the outside: WebSocket clients, the HTTP feed and Server-Sent Events, and other
 * instances' events from NATS.
 */
@Module({
  imports: [EventFeedModule],
  providers: [
    EventsGateway,
    EventReplay,
    EventFanoutListener,
    RemoteEventsListener,
    RemoteEnvelopeCheck,
    GatewayMetrics,
    HandshakeGate,
  ],
  exports: [EventsGateway],
})
export class GatewayModule {
  /**
   * The events module sits below the features and imports none of them, so the features' event
   * definitions reach it from here, above them all, when the app is created.
   */
  constructor(registry: DomainEventRegistry, catalog: EventCatalog) {
    registry.register(DOMAIN_EVENTS);
    catalog.describeWebSocket(WEBSOCKET_CHANNEL);
  }
}
