import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { eventsConfig } from '../config/events.config';
import { LeasesService } from '../leases/leases.service';
import { MetricsService } from '../metrics/metrics.service';
import { DomainEvents } from './domain-events.service';
import { NatsConnection } from './nats-connection';
import { EventStore, StoredEvent } from './store/event-store';
import { OrderedEventStream } from './stream/ordered-event-stream';

/**
 * Rows per pass: small, so a backlog drains in short slices between which requests get the event
 * loop (measured against 500: the same drain rate, GET p50 near idle instead of hundreds of ms).
 */
const BATCH = 50;
const IDLE_POLL_MS = 1000;
const BATCH_WINDOW_MS = 25;
const MAX_BACKOFF_MS = 5000;
const PRUNE_EVERY_MS = 30_000;
/** Larger envelopes are set aside: no subscriber should have to take one. */
export const MAX_ENVELOPE_BYTES = 256 * 1024;
/** One relay publishes at a time across every instance, so NATS sees the stream in order. */
export const RELAY_LEASE = 'events.relay';
/** Instances that commit without the lease wake the relay holder up on this core subject. */
export const RELAY_WAKE_SUBJECT = 'catalog.events.committed';

/**
 * Publishes the event store to NATS in stream order. A row counts as published only once NATS
 * confirmed it (the JetStream ack, or a flush); while NATS is down rows wait and the relay backs
 * off. A row NATS refuses for good is set aside with its reason and the relay goes on. The
 * relay also prunes published rows past their retention.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private wake?: () => void;
  /** Set by a commit; a pass that starts later covers it, so the relay does not sleep past it. */
  private kicked = false;
  private stopping = false;
  private loop?: Promise<void>;
  private lastPrune = 0;
  private leaseCheckedAt = 0;
  private holding = false;
  /** Publish attempts that failed (NATS down, no confirmation): for metrics and logs. */
  failures = 0;

  constructor(
    private readonly store: EventStore,
    private readonly nats: NatsConnection,
    private readonly events: DomainEvents,
    private readonly leases: LeasesService,
    private readonly stream: OrderedEventStream,
    private readonly metrics: MetricsService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.readAtScrape('outboxBacklog', () => this.backlog());
    this.metrics.readAtScrape('outboxSetAside', () => this.store.countSetAside());
    this.events.onCommitted(() => {
      this.kicked = true;
      if (!this.holding) {
        this.nats.notify(RELAY_WAKE_SUBJECT);
      }
      this.wake?.();
    });
    this.nats.onMessage(RELAY_WAKE_SUBJECT, () => {
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

  /** Rows not yet confirmed by NATS (set-aside rows not counted). */
  backlog(): Promise<number> {
    return this.store.countUnpublished();
  }

  /** One pass: publishes every pending row it can; resolves with how many it sent. */
  async relayPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      // a long backlog outlasts the lease: without renewing it, another instance would take it
      // and publish beside this one, out of order
      if (!(await this.holdsLease())) {
        return sent;
      }
      const rows = await this.store.unpublished(BATCH);
      sent += await this.publish(rows);
      if (rows.length < BATCH) {
        return sent;
      }
      // a backlog drains in slices: requests waiting for the event loop go first
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (!this.stopping) {
      this.kicked = false;
      try {
        if (this.nats.state === 'off') {
          await this.retireWhileOff();
        } else if (this.nats.connected) {
          await this.relayPending();
          backoff = 0;
        }
        await this.pruneNowAndThen();
      } catch (error) {
        this.failures++;
        this.metrics.outboxPublishFailed();
        backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
        this.logger.warn(`publishing events failed, retrying in ${backoff} ms: ${String(error)}`);
      }
      // the holder renews its lease at least every third of its lifetime, idle or not
      await this.sleep(backoff || Math.min(IDLE_POLL_MS, this.leases.ttlMs / 3), backoff === 0);
    }
    // last chance at shutdown: what NATS takes now is not left for the next start
    if (this.nats.connected && this.holding) {
      await this.relayPending().catch((error: unknown) =>
        this.logger.warn(`final event flush failed: ${String(error)}`),
      );
    }
  }

  /** Takes or renews the relay's lease, at most every third of its lifetime. */
  private async holdsLease(): Promise<boolean> {
    const now = Date.now();
    if (now - this.leaseCheckedAt >= this.leases.ttlMs / 3) {
      this.leaseCheckedAt = now;
      const held = await this.leases.acquire(RELAY_LEASE);
      if (held !== this.holding) {
        this.logger.log(held ? 'this instance relays the events now' : 'another instance relays');
      }
      this.holding = held;
    }
    return this.holding;
  }

  private async publish(rows: StoredEvent[]): Promise<number> {
    if (rows.length === 0) {
      return 0;
    }
    const outgoing = [];
    for (const row of rows) {
      const bytes = Buffer.byteLength(row.envelope);
      if (bytes > MAX_ENVELOPE_BYTES) {
        await this.setAside(row.seq, `envelope of ${bytes} bytes is over ${MAX_ENVELOPE_BYTES}`);
      } else {
        const { id } = JSON.parse(row.envelope) as { id: string };
        outgoing.push({ seq: row.seq, subject: row.subject, data: row.envelope, msgId: id });
      }
    }
    const outcome = await this.nats.publishEvents(outgoing);
    await this.store.markPublished(outcome.published, new Date());
    for (const { seq, reason } of outcome.refused) {
      await this.setAside(seq, reason);
    }
    // this instance hears nothing it publishes itself (noEcho): other instances' events it has
    // just relayed reach its own listeners from here
    this.stream.heardOf(rows[rows.length - 1].seq);
    if (outcome.error) {
      throw outcome.error;
    }
    return outcome.published.length;
  }

  private async setAside(seq: number, reason: string): Promise<void> {
    this.logger.error(`event ${seq} set aside, NATS will not take it: ${reason}`);
    this.metrics.outboxSetAside();
    await this.store.setAside(seq, reason, new Date());
  }

  /**
   * With NATS off (NATS_URL empty) nothing will ever publish: rows count as published as they
   * come (they reached WebSocket clients at commit) and stay for the feed until retention.
   */
  private async retireWhileOff(): Promise<void> {
    // a read first: an idle instance takes no write lock (another process may be holding it)
    if ((await this.store.unpublished(1)).length === 0) {
      return;
    }
    const top = await this.store.retirePending(new Date(), BATCH * 10);
    if (top !== undefined) {
      // without NATS, other instances' events on the same database reach listeners from here
      this.stream.heardOf(top);
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) {
      return;
    }
    this.lastPrune = Date.now();
    const before = new Date(Date.now() - this.config.retentionHours * 3_600_000);
    await this.store.prune(before, this.config.retentionMax);
  }

  /**
   * Waits `ms`, or — when `wakeOnCommit` — only a short batching window after a commit: events
   * go out within ~BATCH_WINDOW_MS, yet a burst of commits shares one pass.
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
