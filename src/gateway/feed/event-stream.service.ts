import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { matches } from '../client-frames';
import { EventEnvelope } from '../../events/domain-events';
import { EventStore, StreamPosition } from '../../events/store/event-store';
import { OrderedEventStream } from '../../events/stream/ordered-event-stream';
import { EventStreamOptions, SseConnection } from './sse-connection';
import { eventNameOf, sseEvent } from './sse-frames';

export interface FollowRequest {
  /** The `Last-Event-ID` header, parsed; it wins over `after`. */
  lastEventId?: number;
  /** `?after=`. */
  after?: number;
  /** `?events=`; null: every event. */
  patterns: string[] | null;
}

/** One client's progress: the live events that arrive while its replay runs are held here. */
interface Follower {
  conn: SseConnection;
  patterns: string[] | null;
  /** Live events held during the replay; null once live. */
  held: EventEnvelope[] | null;
  /** Held events were dropped (too many): the replay reads on from the store instead. */
  overflowed: boolean;
  /** The last position delivered or skipped; live events at or below it are not sent again. */
  last: number;
}

/**
 * `GET /events/stream`: Server-Sent Events. A resuming client gets the retained events after its
 * position, then live ones, with nothing twice and nothing skipped at the seam: live events are
 * held from before the replay's first read, and sent after it unless the replay covered them.
 */
@Injectable()
export class EventStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly open = new Set<SseConnection>();
  private closing = false;

  constructor(
    private readonly store: EventStore,
    private readonly stream: OrderedEventStream,
    private readonly options: EventStreamOptions,
  ) {}

  get clientCount(): number {
    return this.open.size;
  }

  /**
   * Opens the stream on `res` and returns once it is open (the replay goes on in the background).
   * Rejects, with nothing written, when the instance is shutting down or the store cannot be read.
   */
  async follow(res: ServerResponse, request: FollowRequest): Promise<void> {
    if (this.closing) {
      throw new DomainError(ErrorCode.ShuttingDown, 'the instance is shutting down; reconnect');
    }
    const after = request.lastEventId ?? request.after;
    const conn = new SseConnection(res, this.options);
    const follower: Follower = {
      conn,
      patterns: request.patterns,
      held: after === undefined ? null : [],
      overflowed: false,
      last: this.stream.position,
    };
    // first, before anything is read: every event from here on reaches this client
    const unsubscribe = this.stream.onEvent((envelope) => this.onLive(follower, envelope));
    const forget = () => {
      unsubscribe();
      this.open.delete(conn);
    };
    conn.onClose(forget);
    this.open.add(conn);
    let position: StreamPosition | undefined;
    try {
      position = after === undefined ? undefined : await this.store.position();
    } catch (error) {
      conn.abandon();
      forget();
      throw error;
    }
    conn.start(position?.epoch ?? this.stream.epoch);
    if (after === undefined || position === undefined || conn.closed) {
      return;
    }
    if (after < position.earliestSeq - 1 || after > position.seq) {
      this.resync(follower, position);
      return;
    }
    this.replay(follower, after, position.seq).catch((error: unknown) => {
      this.logger.warn(`a Server-Sent Events replay failed: ${String(error)}`);
      conn.end();
    });
  }

  /** Shutdown is not held by open streams; each client reconnects (to another instance). */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const conn of [...this.open]) {
      conn.end();
    }
  }

  private onLive(follower: Follower, envelope: EventEnvelope): void {
    const { held } = follower;
    if (held === null) {
      this.sendLive(follower, envelope);
      return;
    }
    if (held.length >= this.options.maxHeld) {
      held.length = 0;
      follower.overflowed = true;
    }
    held.push(envelope);
  }

  private sendLive(follower: Follower, envelope: EventEnvelope): void {
    if (envelope.seq <= follower.last) {
      return;
    }
    follower.last = envelope.seq;
    follower.conn.covered = envelope.seq;
    if (matches(follower.patterns, envelope.event)) {
      follower.conn.sendLive(envelope.seq, envelope.event, JSON.stringify(envelope));
    }
  }

  /**
   * The stored envelopes after `after`, sent as written, page by page, waiting for the socket to
   * drain between pages. Every position up to `known` (committed before the first read) must be
   * there; a missing one was pruned meanwhile, and the client is told to resync.
   */
  private async replay(follower: Follower, after: number, known: number): Promise<void> {
    const { conn } = follower;
    const page = this.options.replayPage;
    let last = after;
    do {
      // held events dropped since the last pass were committed by then: this pass reads them
      follower.overflowed = false;
      for (;;) {
        const rows = await this.store.readAfter(last, page);
        if (conn.closed) {
          return;
        }
        const frames: string[] = [];
        let lastSent = 0;
        for (const row of rows) {
          if (row.seq !== last + 1) {
            conn.sendFramed(frames, lastSent);
            this.resync(follower, await this.store.position());
            return;
          }
          const name = eventNameOf(row.envelope);
          if (matches(follower.patterns, name)) {
            frames.push(sseEvent(row.seq, name, row.envelope));
            lastSent = row.seq;
          }
          last = row.seq;
        }
        conn.sendFramed(frames, lastSent);
        conn.covered = last;
        await conn.drained();
        if (rows.length < page || conn.closed) {
          break;
        }
      }
    } while (follower.overflowed && !conn.closed);
    if (conn.closed) {
      return;
    }
    if (last < known) {
      // the store ended before a position committed ahead of the replay: pruned meanwhile
      this.resync(follower, await this.store.position());
      return;
    }
    this.goLive(follower, last);
  }

  /** The client's position cannot be served: it reloads over REST, then follows from here. */
  private resync(follower: Follower, position: StreamPosition): void {
    const data = JSON.stringify({ earliest_seq: position.earliestSeq, seq: position.seq });
    follower.conn.send(position.seq, 'resync', data);
    this.goLive(follower, position.seq);
  }

  private goLive(follower: Follower, last: number): void {
    const held = follower.held ?? [];
    follower.held = null;
    follower.last = last;
    for (const envelope of held) {
      this.sendLive(follower, envelope);
    }
  }
}
