import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Listeners } from '../../common/listeners';
import { EventEnvelope } from '../domain-events';
import { DomainEvents } from '../domain-events.service';
import { EventStore } from '../store/event-store';

/** How long a later position waits for an earlier one before the store is asked for it. */
const GAP_WAIT_MS = 10;
const FILL_PAGE = 1000;
const FILL_RETRY_MS = 1000;

/**
 * This instance's view of the event stream, in order: its own commits arrive here directly,
 * other instances' as a position heard of over NATS, read back from the store (so a message
 * forged on NATS never reaches a listener). Listeners (WebSocket, Server-Sent Events) get every
 * event once, strictly by `seq`. A known later position means every earlier one has committed,
 * so a gap is filled from the store after a moment.
 */
@Injectable()
export class OrderedEventStream implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventStream');
  private readonly listeners = new Listeners<EventEnvelope>(
    this.logger,
    (envelope) => `event ${envelope.seq}`,
  );
  private readonly held = new Map<number, EventEnvelope>();
  /** The position delivered next; 0 until the stream's position is known. */
  private next = 0;
  /** The highest position heard of from other instances. */
  private heard = 0;
  private fillTimer?: NodeJS.Timeout;
  private filling = false;
  epoch = '';

  constructor(
    private readonly events: DomainEvents,
    private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.events.onCommitted((envelope) => this.accept(envelope));
    const position = await this.store.position();
    this.epoch = position.epoch;
    this.next = position.seq + 1;
    for (const seq of [...this.held.keys()]) {
      if (seq < this.next) {
        this.held.delete(seq);
      }
    }
    this.deliver();
  }

  /** The last position delivered to listeners. */
  get position(): number {
    return this.next - 1;
  }

  /** Listens to every event from now on, in order; returns the unsubscribe. */
  onEvent(listener: (envelope: EventEnvelope) => void): () => void {
    return this.listeners.add(listener);
  }

  /** One of this instance's committed events. */
  accept(envelope: EventEnvelope): void {
    if (this.next === 0 || envelope.seq >= this.next) {
      this.held.set(envelope.seq, envelope);
      this.deliver();
    }
  }

  /** Another instance committed up to `seq`: what this one lacks below it comes from the store. */
  heardOf(seq: number): void {
    if (seq > this.heard) {
      this.heard = seq;
      this.deliver();
    }
  }

  private deliver(): void {
    if (this.next === 0) {
      return;
    }
    this.deliverHeld();
    this.scheduleFill(GAP_WAIT_MS);
  }

  private scheduleFill(ms: number): void {
    const behind = this.held.size > 0 || this.heard >= this.next;
    if (behind && !this.fillTimer && !this.filling) {
      this.fillTimer = setTimeout(() => void this.fill(), ms);
    }
  }

  private async fill(): Promise<void> {
    this.fillTimer = undefined;
    this.filling = true;
    let retryMs = GAP_WAIT_MS;
    try {
      const belowHeld = this.held.size > 0 ? Math.min(...this.held.keys()) - 1 : 0;
      const target = Math.max(this.heard, belowHeld);
      while (this.next <= target) {
        const limit = Math.min(FILL_PAGE, target - this.next + 1);
        const rows = await this.store.readAfter(this.next - 1, limit);
        if (rows.length === 0) {
          break;
        }
        if (rows[0].seq > this.next) {
          this.logger.warn(`positions ${this.next}..${rows[0].seq - 1} are no longer stored`);
          this.next = rows[0].seq;
        }
        for (const row of rows) {
          if (!this.held.has(row.seq)) {
            this.held.set(row.seq, JSON.parse(row.envelope) as EventEnvelope);
          }
        }
        this.deliverHeld();
      }
      // a position heard of that the store does not have (a forged message) is forgotten
      this.heard = Math.min(this.heard, this.next - 1);
    } catch (error) {
      this.logger.warn(`could not read missing positions from the store: ${String(error)}`);
      retryMs = FILL_RETRY_MS;
    } finally {
      this.filling = false;
      this.deliverHeld();
      this.scheduleFill(retryMs);
    }
  }

  private deliverHeld(): void {
    for (let envelope = this.held.get(this.next); envelope; envelope = this.held.get(this.next)) {
      this.held.delete(this.next);
      this.next++;
      this.listeners.notify(envelope);
    }
  }
}
