import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEvents } from './domain-events.service';
import { EventStreamRow } from './entities/event-stream.entity';
import { OutboxEvent } from './entities/outbox-event.entity';
import { DomainEventRegistry } from './event-catalog';
import { EventCatalogController } from './event-catalog.controller';
import { EventCatalog } from './event-catalog.service';
import { NatsConnection } from './nats-connection';
import { OutboxRelay } from './outbox-relay';
import { EventStore } from './store/event-store';
import { EventStoreTypeormRepository } from './store/event-store.typeorm-repository';
import { OrderedEventStream } from './stream/ordered-event-stream';
import { LeasesModule } from '../leases/leases.module';

/** Domain events: recorded with each change (outbox), delivered to NATS by the relay. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent, EventStreamRow]), LeasesModule],
  controllers: [EventCatalogController],
  providers: [
    DomainEvents,
    DomainEventRegistry,
    NatsConnection,
    OutboxRelay,
    EventCatalog,
    OrderedEventStream,
    { provide: EventStore, useClass: EventStoreTypeormRepository },
  ],
  exports: [
    DomainEvents,
    DomainEventRegistry,
    NatsConnection,
    OutboxRelay,
    EventCatalog,
    OrderedEventStream,
    EventStore,
  ],
})
export class EventsModule {}
