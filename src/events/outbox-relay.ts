import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect';
import { managerOf } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { MetricsService } from '../metrics/metrics.service';
import { DomainEvents } from './domain-events.service';
import { OutboxEvent } from './entities/outbox-event.entity';
import { NatsConnection } from './nats-connection';

const BATCH = 200;
const IDLE_POLL_MS = 1000;
const BATCH_WINDOW_MS = 25;
const MAX_BACKOFF_MS = 5000;
/** Sent rows are kept this long (for inspection), then deleted. */
const KEEP_SENT_MS = 60_000;

/**
 * Publishes the outbox to NATS in id order. A row is marked sent only after NATS confirmed it;
 * while NATS is down the rows wait and the relay backs off, so nothing is lost or sent twice
 * by this instance. With PostgreSQL several instances relay side by side: each batch is claimed
 * with FOR UPDATE SKIP LOCKED, so no row is published by two of them.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private wake?: () => void;
  /** Set by a commit; a pass that starts later covers it, so the relay does not sleep past it. */
  private kicked = false;
  private stopping = false;
  private loop?: Promise<void>;
  private lastCleanup = 0;
  /** Publish attempts that failed (NATS down, no confirmation): for metrics and logs. */
  failures = 0;

  constructor(
    @InjectRepository(OutboxEvent) private readonly outbox: Repository<OutboxEvent>,
    private readonly nats: NatsConnection,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
    private readonly sql: SqlDialect,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.readAtScrape('outboxBacklog', () => this.backlog());
    this.events.onCommitted(() => {
      this.kicked = true;
      this.wake?.();
    });
    this.loop = this.run();
  }

  /** Before the database closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** Rows not yet confirmed by NATS. */
  backlog(): Promise<number> {
    return this.outbox.countBy({ sentAt: IsNull() });
  }

  /** One pass: publishes every pending row it can; resolves with how many it sent. */
  async relayPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.publishBatch();
      sent += batch;
      if (batch < BATCH) {
        return sent;
      }
    }
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (!this.stopping) {
      this.kicked = false;
      if (this.nats.state === 'off') {
        await this.retireWhileOff().catch((error: unknown) =>
          this.logger.warn(`could not retire outbox rows: ${String(error)}`),
        );
      } else if (this.nats.connected) {
        try {
          await this.relayPending();
          await this.cleanup();
          backoff = 0;
        } catch (error) {
          this.failures++;
          this.metrics.outboxPublishFailed();
          backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
          this.logger.warn(
            `publishing the outbox failed, retrying in ${backoff} ms: ${String(error)}`,
          );
        }
      }
      await this.sleep(backoff || IDLE_POLL_MS, backoff === 0);
    }
    // last chance at shutdown: what NATS takes now is not left for the next start
    if (this.nats.connected) {
      await this.relayPending().catch((error: unknown) =>
        this.logger.warn(`final outbox flush failed: ${String(error)}`),
      );
    }
  }

  private async publishBatch(): Promise<number> {
    if (this.sql.postgres) {
      return this.transactions.run(async (tx) => {
        const rows = await managerOf(tx)
          .getRepository(OutboxEvent)
          .createQueryBuilder('o')
          .where('o.sentAt IS NULL')
          .orderBy('o.id', 'ASC')
          .limit(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        await this.publish(rows);
        if (rows.length > 0) {
          await managerOf(tx)
            .getRepository(OutboxEvent)
            .update({ id: In(rows.map((r) => r.id)) }, { sentAt: new Date() });
        }
        return rows.length;
      });
    }
    // SQLite: one instance; publishing outside the write queue keeps other writers moving
    const rows = await this.outbox.find({
      where: { sentAt: IsNull() },
      order: { id: 'ASC' },
      take: BATCH,
    });
    await this.publish(rows);
    if (rows.length > 0) {
      await this.transactions.run((tx) =>
        managerOf(tx)
          .getRepository(OutboxEvent)
          .update({ id: In(rows.map((r) => r.id)) }, { sentAt: new Date() }),
      );
    }
    return rows.length;
  }

  private async publish(rows: OutboxEvent[]): Promise<void> {
    if (rows.length > 0) {
      await this.nats.publishConfirmed(rows.map((r) => ({ subject: r.subject, data: r.envelope })));
    }
  }

  /**
   * With NATS off (NATS_URL empty) nothing will ever publish the outbox: rows are marked sent as
   * they come (their events already reached WebSocket clients at commit) and deleted like any
   * sent row, so the table does not grow without bound.
   */
  private async retireWhileOff(): Promise<void> {
    await this.transactions.run((tx) =>
      managerOf(tx).getRepository(OutboxEvent).update({ sentAt: IsNull() }, { sentAt: new Date() }),
    );
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < KEEP_SENT_MS / 2) {
      return;
    }
    this.lastCleanup = Date.now();
    await this.transactions.run((tx) =>
      managerOf(tx)
        .getRepository(OutboxEvent)
        .delete({ sentAt: LessThan(new Date(Date.now() - KEEP_SENT_MS)) }),
    );
  }

  /**
   * Waits `ms`, or — when `wakeOnCommit` — only a short batching window after a commit: events
   * go out within ~BATCH_WINDOW_MS, yet a burst of commits shares one pass (one SELECT, one
   * publish, one UPDATE) instead of taking a write transaction from the API per commit.
   */
  private sleep(ms: number, wakeOnCommit: boolean): Promise<void> {
    return new Promise((resolve) => {
      let timer = setTimeout(
        resolve,
        wakeOnCommit && this.kicked && this.nats.connected ? BATCH_WINDOW_MS : ms,
      );
      let shortened = false;
      const shorten = () => {
        if (!shortened) {
          shortened = true;
          clearTimeout(timer);
          timer = setTimeout(resolve, this.stopping ? 0 : BATCH_WINDOW_MS);
        }
      };
      // while backing off, commits must not cut the wait short (shutdown still does)
      this.wake = wakeOnCommit ? shorten : () => (this.stopping ? shorten() : undefined);
    });
  }
}
