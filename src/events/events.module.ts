import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEvents } from './domain-events.service';
import { OutboxEvent } from './entities/outbox-event.entity';
import { NatsConnection } from './nats-connection';
import { OutboxRelay } from './outbox-relay';

/** Domain events: recorded with each change (outbox), delivered to NATS by the relay. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent])],
  providers: [DomainEvents, NatsConnection, OutboxRelay],
  exports: [DomainEvents, NatsConnection, OutboxRelay],
})
export class EventsModule {}
