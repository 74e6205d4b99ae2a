import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Listeners } from '../common/listeners';
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
 * COMMIT, together with those of the runs sharing its physical transaction (an SQLite group):
 * one position update and one insert for all of them, in the order the runs ran. Local listeners
 * (the ordered stream, the relay) hear of them once it has committed.
 */
@Injectable()
export class DomainEvents {
  private readonly committed = new Listeners<EventEnvelope>(
    new Logger('DomainEvents'),
    (envelope) => `committed event ${envelope.seq}`,
  );
  /** The one writer, as the same function every time: the runner gathers by it. */
  private readonly writer = (tx: Transaction, pending: Pending[]) => this.write(tx, pending);

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
    return this.committed.add(listener);
  }

  private enqueue(tx: Transaction, events: DomainEvent[]): void {
    if (events.length === 0) {
      return;
    }
    // an event without a definition fails here, in the service that raised it
    const pending = events.map((event) => ({
      event,
      subject: this.registry.subjectOf(event.event, event.payload),
    }));
    this.transactions.gather(tx, this.writer, pending);
  }

  /**
   * The rows of the whole physical transaction, with their positions. Each envelope's JSON is
   * made before its position is known, split where `seq` goes, so the store can take the
   * positions and write the rows in one statement.
   */
  private async write(tx: Transaction, pending: Pending[]): Promise<void> {
    const now = new Date();
    const ts = now.toISOString();
    const drafts = pending.map(({ event: { event, payload }, subject }) => {
      const id = randomUUID();
      const rest = JSON.stringify({ event, payload, ts, origin: this.origin });
      return {
        id,
        event,
        payload,
        subject,
        head: `{"id":${JSON.stringify(id)},"seq":`,
        tail: `,${rest.slice(1)}`,
      };
    });
    const first = await this.store.appendNumbered(tx, drafts, now);
    const envelopes = drafts.map(({ id, event, payload }, i): EventEnvelope => ({
      id,
      seq: first + i,
      event,
      payload,
      ts,
      origin: this.origin,
    }));
    this.transactions.afterCommit(tx, () => envelopes.forEach((e) => this.committed.notify(e)));
  }
}
