import { Injectable, Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { EventEnvelope } from '../events/domain-events';
import { EventStore } from '../events/store/event-store';
import { OrderedEventStream } from '../events/stream/ordered-event-stream';
import { matches, ResumeRequest } from './client-frames';
import { CatchUp, ClientState, CLOSE_SLOW_CONSUMER, deliver, sendFrame } from './client-state';

/** Stored events read per query while replaying. */
const PAGE = 1000;
/** Past this many bytes unsent, the replay waits for the client to read instead of queueing more. */
const HIGH_WATER = 256 * 1024;
/** A replaying client that does not take HIGH_WATER bytes in this long is cut as a slow consumer. */
const STALL_MS = 10_000;
const CLOSE_INTERNAL_ERROR = 1011;

/** The replay stops: the events after `after` are not all retained any more. */
class NotRetained extends Error {}
class Stalled extends Error {}

/**
 * `resume`: every retained event after the client's position from the store, then `resumed`,
 * then live events. Live events that arrive meanwhile are held by the client's CatchUp and sent
 * once the replay has passed them, so the seam has nothing twice and nothing skipped.
 */
@Injectable()
export class EventReplay {
  private readonly logger = new Logger('EventReplay');

  constructor(
    private readonly store: EventStore,
    private readonly stream: OrderedEventStream,
  ) {}

  /**
   * Starts holding the client's live events at once (before any await, so none slips past),
   * then replays; the promise ends when the client is live again or gone.
   */
  resume(client: WebSocket, state: ClientState, request: ResumeRequest): Promise<void> {
    const catchUp = new CatchUp(this.stream.position);
    state.catchUp = catchUp;
    return this.replay(client, state, catchUp, request).catch((error: unknown) =>
      this.failed(client, state, error),
    );
  }

  private async replay(
    client: WebSocket,
    state: ClientState,
    catchUp: CatchUp,
    { after, epoch }: ResumeRequest,
  ): Promise<void> {
    const stored = await this.store.position();
    // a position past the last committed one was never this stream's
    if (epoch !== this.stream.epoch || after < stored.earliestSeq - 1 || after > stored.seq) {
      return this.notRecovered(client, state, stored.earliestSeq);
    }
    let cursor = after;
    let resumed = false;
    for (;;) {
      if (!isOpen(client)) {
        return;
      }
      if (cursor < catchUp.target) {
        cursor = await this.replayPage(client, state, cursor, catchUp.target);
        continue;
      }
      if (!resumed) {
        resumed = true;
        sendFrame(client, { event: 'resumed', payload: { after, to: cursor, recovered: true } });
      }
      const held = catchUp.take();
      if (held.length === 0) {
        // nothing left behind the live stream: this client gets its events directly from now on
        state.catchUp = undefined;
        return;
      }
      cursor = await this.sendHeld(client, state, held, cursor);
    }
  }

  /** One page of stored events after `cursor` (up to `target`); returns the last position read. */
  private async replayPage(
    client: WebSocket,
    state: ClientState,
    cursor: number,
    target: number,
  ): Promise<number> {
    const rows = await this.store.readAfter(cursor, Math.min(PAGE, target - cursor));
    for (const row of rows) {
      if (!isOpen(client)) {
        return cursor;
      }
      if (row.seq !== cursor + 1) {
        throw new NotRetained();
      }
      cursor = row.seq;
      if (state.patterns === null || matches(state.patterns, eventOf(row.envelope))) {
        await sendPaced(client, row.envelope);
      }
    }
    if (rows.length === 0) {
      throw new NotRetained();
    }
    return cursor;
  }

  private async sendHeld(
    client: WebSocket,
    state: ClientState,
    held: EventEnvelope[],
    cursor: number,
  ): Promise<number> {
    for (const envelope of held) {
      if (!isOpen(client)) {
        return cursor;
      }
      if (envelope.seq <= cursor) {
        continue;
      }
      cursor = envelope.seq;
      if (matches(state.patterns, envelope.event)) {
        await sendPaced(client, JSON.stringify(envelope));
      }
    }
    return cursor;
  }

  /** The client must reload over REST; it follows the live stream from its current position. */
  private notRecovered(client: WebSocket, state: ClientState, earliestSeq: number): void {
    state.catchUp = undefined;
    sendFrame(client, {
      event: 'resumed',
      payload: { recovered: false, earliest_seq: earliestSeq, seq: this.stream.position },
    });
  }

  private async failed(client: WebSocket, state: ClientState, error: unknown): Promise<void> {
    if (!isOpen(client)) {
      return;
    }
    if (error instanceof NotRetained) {
      // pruned while the replay ran: the oldest position now retained comes from the store
      const { earliestSeq } = await this.store.position().catch(() => ({ earliestSeq: 0 }));
      this.notRecovered(client, state, earliestSeq);
      return;
    }
    state.catchUp = undefined;
    if (error instanceof Stalled) {
      this.logger.warn(`closing a slow WebSocket client: its replay stalled ${STALL_MS} ms`);
      client.close(CLOSE_SLOW_CONSUMER, 'slow consumer: too far behind');
      return;
    }
    // the client reconnects and resumes once the store answers again
    this.logger.error(`a WebSocket replay failed: ${String(error)}`);
    client.close(CLOSE_INTERNAL_ERROR, 'replay failed, resume again');
  }
}

function isOpen(client: WebSocket): boolean {
  return client.readyState === client.OPEN;
}

/** The event name from a stored envelope, read only when a subscription needs it. */
function eventOf(envelope: string): string {
  return (JSON.parse(envelope) as EventEnvelope).event;
}

/**
 * Sends one replayed frame; above HIGH_WATER it waits until that frame has reached the socket,
 * so a replay never queues more than about HIGH_WATER bytes for a client that reads slowly.
 */
async function sendPaced(client: WebSocket, data: string): Promise<void> {
  if (client.bufferedAmount < HIGH_WATER) {
    deliver(client, data);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Stalled()), STALL_MS);
      // a client cut meanwhile gets nothing more: the replay sees it closed and ends
      if (!deliver(client, data, () => resolve())) {
        resolve();
      }
    });
  } finally {
    clearTimeout(timer);
  }
}
