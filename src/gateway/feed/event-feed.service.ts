import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { StoredEvent, StreamPosition, EventStore } from '../../events/store/event-store';
import { OrderedEventStream } from '../../events/stream/ordered-event-stream';

/** A page of the stream: the stored envelopes as they were written, and the stream's epoch. */
export class FeedPage {
  constructor(
    readonly epoch: string,
    /** Envelope JSON strings, in position order. */
    readonly envelopes: string[],
  ) {}
}

/** The run of `rows` that follows `after` with no position missing (rows are in order). */
export function contiguousAfter(after: number, rows: StoredEvent[]): StoredEvent[] {
  let n = 0;
  while (n < rows.length && rows[n].seq === after + 1 + n) {
    n++;
  }
  return n === rows.length ? rows : rows.slice(0, n);
}

/** Positions pruned from the store: the caller must reload its state, then follow from here. */
export function noLongerRetained(after: number, earliestSeq: number): DomainError {
  return new DomainError(
    ErrorCode.NoLongerRetained,
    `events after ${after} are no longer retained; the earliest retained is ${earliestSeq}`,
    { earliest_seq: earliestSeq },
  );
}

/** `GET /events`: the retained stream read in pages, never with a position silently left out. */
@Injectable()
export class EventFeedService {
  constructor(
    private readonly store: EventStore,
    private readonly stream: OrderedEventStream,
  ) {}

  latest(): Promise<StreamPosition> {
    return this.store.position();
  }

  /**
   * The envelopes after `after`. A page stops before a missing position (pruned), so the next
   * call, from there, is answered 410: a reader is told of a loss instead of stepping over it.
   */
  async page(after: number, limit: number): Promise<FeedPage> {
    const rows = await this.store.readAfter(after, limit);
    const run = contiguousAfter(after, rows);
    if (run.length > 0 && this.stream.epoch !== '') {
      // the common case, one query: the epoch never changes while the service runs
      return new FeedPage(this.stream.epoch, envelopesOf(run));
    }
    // nothing after `after`, or a hole right after it: decided against a position read first,
    // so a commit landing between the two reads cannot pass for a pruned one
    const position = await this.store.position();
    const again = await this.store.readAfter(after, limit);
    const retained = contiguousAfter(after, again);
    if (retained.length > 0) {
      return new FeedPage(position.epoch, envelopesOf(retained));
    }
    if (again.length === 0 && after >= position.seq) {
      return new FeedPage(position.epoch, []);
    }
    throw noLongerRetained(
      after,
      Math.max(position.earliestSeq, again[0]?.seq ?? position.seq + 1),
    );
  }
}

const envelopesOf = (rows: StoredEvent[]): string[] => rows.map((row) => row.envelope);
