import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { appConfig } from '../config/app.config';
import { SqlDialect } from '../database/sql-dialect';
import { TransactionRunner } from '../database/transaction-runner';
import { managerOf, Transaction } from '../database/transaction';
import { DomainEvent, DomainEventMap, DomainEventName, EventEnvelope } from './domain-events';
import { DomainEventRegistry } from './event-catalog';

/**
 * Services raise events here, inside the transaction of their change: the event is written to the
 * outbox with it (so none is lost if NATS is down or the process dies), and local listeners (the
 * WebSocket gateway, the relay) hear of it once the transaction has committed.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly sql: SqlDialect,
    private readonly registry: DomainEventRegistry,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  get origin(): string {
    return this.app.instanceId;
  }

  async record<E extends DomainEventName>(
    tx: Transaction,
    event: E,
    payload: DomainEventMap[E],
  ): Promise<EventEnvelope<E>> {
    const [envelope] = await this.write(tx, [{ event, payload } as DomainEvent]);
    return envelope as EventEnvelope<E>;
  }

  /** Several events of one transaction, in one statement (refresh_all records thousands). */
  async recordMany(tx: Transaction, events: DomainEvent[]): Promise<void> {
    await this.write(tx, events);
  }

  /** The one outbox writer: a multi-row INSERT in plain SQL, cheaper than the query builder. */
  private async write(tx: Transaction, events: DomainEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) {
      return [];
    }
    const ts = new Date();
    const envelopes = events.map(({ event, payload }): EventEnvelope => ({
      id: randomUUID(),
      event,
      payload,
      ts: ts.toISOString(),
      origin: this.origin,
    }));
    const createdAt = this.sql.timestamp(ts);
    const params: unknown[] = [];
    for (const e of envelopes) {
      params.push(this.registry.subjectOf(e.event, e.payload), JSON.stringify(e), createdAt);
    }
    await managerOf(tx).query(
      `INSERT INTO outbox (subject, envelope, created_at) VALUES ${this.sql.valueRows(envelopes.length, 3)}`,
      params,
    );
    this.transactions.afterCommit(tx, () =>
      envelopes.forEach((e) => this.emitter.emit('committed', e)),
    );
    return envelopes;
  }

  /** Called with every envelope this instance committed, in commit order. */
  onCommitted(listener: (envelope: EventEnvelope) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }
}
