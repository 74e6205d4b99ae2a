import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DomainEventMap, DomainEventName } from './domain-events';

export interface DomainEvent<E extends DomainEventName = DomainEventName> {
  event: E;
  payload: DomainEventMap[E];
  ts: string;
}

/**
 * In-process delivery of domain events, raised by services after their change committed.
 * (The transactional outbox and NATS delivery build on this: see the Events issue.)
 */
@Injectable()
export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  publish<E extends DomainEventName>(event: E, payload: DomainEventMap[E]): void {
    const envelope: DomainEvent<E> = { event, payload, ts: new Date().toISOString() };
    this.emitter.emit('event', envelope);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
