import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEvents } from './domain-events.service';
import { OutboxEvent } from './entities/outbox-event.entity';
import { DomainEventRegistry } from './event-catalog';
import { EventCatalogController } from './event-catalog.controller';
import { EventCatalog } from './event-catalog.service';
import { NatsConnection } from './nats-connection';
import { OutboxRelay } from './outbox-relay';

/** Domain events: recorded with each change (outbox), delivered to NATS by the relay. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent])],
  controllers: [EventCatalogController],
  providers: [DomainEvents, DomainEventRegistry, NatsConnection, OutboxRelay, EventCatalog],
  exports: [DomainEvents, DomainEventRegistry, NatsConnection, OutboxRelay, EventCatalog],
})
export class EventsModule {}
