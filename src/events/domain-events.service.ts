import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { appConfig } from '../config/app.config';
import { SqlDialect } from '../database/sql-dialect';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEventMap, DomainEventName, EventEnvelope, subjectFor } from './domain-events';
import { OutboxEvent } from './entities/outbox-event.entity';
import { managerOf, Transaction } from '../database/transaction';

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
    const envelope: EventEnvelope<E> = {
      id: randomUUID(),
      event,
      payload,
      ts: new Date().toISOString(),
      origin: this.origin,
    };
    await managerOf(tx)
      .createQueryBuilder()
      .insert()
      .into(OutboxEvent)
      .values({
        subject: subjectFor(event, payload),
        envelope: JSON.stringify(envelope),
        createdAt: new Date(),
        sentAt: null,
      })
      .updateEntity(false)
      .execute();
    this.transactions.afterCommit(tx, () => this.emitter.emit('committed', envelope));
    return envelope;
  }

  /** Several events of one transaction in one multi-row INSERT (plain SQL: refresh_all's hot path). */
  async recordMany(
    tx: Transaction,
    events: { [E in DomainEventName]: { event: E; payload: DomainEventMap[E] } }[DomainEventName][],
  ): Promise<void> {
    if (events.length === 0) {
      return;
    }
    const ts = new Date();
    const envelopes = events.map(({ event, payload }) => ({
      id: randomUUID(),
      event,
      payload,
      ts: ts.toISOString(),
      origin: this.origin,
    })) as EventEnvelope[];
    const createdAt = this.sql.timestamp(ts);
    const params: unknown[] = [];
    for (const e of envelopes) {
      params.push(subjectFor(e.event, e.payload), JSON.stringify(e), createdAt);
    }
    await managerOf(tx).query(
      `INSERT INTO outbox (subject, envelope, created_at) VALUES ${this.sql.valueRows(envelopes.length, 3)}`,
      params,
    );
    this.transactions.afterCommit(tx, () =>
      envelopes.forEach((e) => this.emitter.emit('committed', e)),
    );
  }

  /** Called with every envelope this instance committed, in commit order. */
  onCommitted(listener: (envelope: EventEnvelope) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }
}
