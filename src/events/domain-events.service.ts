import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { appConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { Transaction } from '../database/transaction';
import { DomainEvent, DomainEventMap, DomainEventName, EventEnvelope } from './domain-events';
import { DomainEventRegistry } from './event-catalog';
import { EventStore } from './store/event-store';

/** An event waiting for the end of its transaction, its subject already known. */
interface Pending {
  event: DomainEvent;
  subject: string;
}

/**
 * Services raise events here, inside the transaction of their change. The events of a
 * transaction are written to the event store with it, at its end (so none is lost if NATS is
 * down or the process dies): they take their stream positions then, as the last thing before
 * COMMIT. Local listeners (the ordered stream, the relay) hear of them once it has committed.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(100);
  private readonly pending = new WeakMap<Transaction, Pending[]>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly store: EventStore,
    private readonly registry: DomainEventRegistry,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  get origin(): string {
    return this.app.instanceId;
  }

  /** Resolves at once: the event is written when the transaction ends. */
  record<E extends DomainEventName>(
    tx: Transaction,
    event: E,
    payload: DomainEventMap[E],
  ): Promise<void> {
    return this.recordMany(tx, [{ event, payload } as DomainEvent]);
  }

  /** Several events of one transaction (refresh_all records thousands). */
  recordMany(tx: Transaction, events: DomainEvent[]): Promise<void> {
    try {
      this.enqueue(tx, events);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Called with every envelope this instance committed, once its transaction has committed. */
  onCommitted(listener: (envelope: EventEnvelope) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }

  private enqueue(tx: Transaction, events: DomainEvent[]): void {
    if (events.length === 0) {
      return;
    }
    // an event without a definition fails here, in the service that raised it
    const subjects = events.map((e) => this.registry.subjectOf(e.event, e.payload));
    let queue = this.pending.get(tx);
    if (!queue) {
      const created: Pending[] = [];
      queue = created;
      this.pending.set(tx, created);
      this.transactions.beforeCommit(tx, () => this.write(tx, created));
    }
    for (const [i, event] of events.entries()) {
      queue.push({ event, subject: subjects[i] });
    }
  }

  /** The one writer: positions for the whole transaction, then its rows in one statement. */
  private async write(tx: Transaction, pending: Pending[]): Promise<void> {
    const { first } = await this.store.takePositions(tx, pending.length);
    const now = new Date();
    const ts = now.toISOString();
    const envelopes = pending.map(({ event: { event, payload } }, i): EventEnvelope => ({
      id: randomUUID(),
      seq: first + i,
      event,
      payload,
      ts,
      origin: this.origin,
    }));
    await this.store.append(
      tx,
      envelopes.map((e, i) => ({
        seq: e.seq,
        subject: pending[i].subject,
        envelope: JSON.stringify(e),
      })),
      now,
    );
    this.transactions.afterCommit(tx, () =>
      envelopes.forEach((e) => this.emitter.emit('committed', e)),
    );
  }
}
