import { Transaction } from '../../database/transaction';

/** Where the stream stands: its name, the last position handed out, the oldest one kept. */
export interface StreamPosition {
  epoch: string;
  seq: number;
  /** The oldest retained position; `seq + 1` while nothing is retained. */
  earliestSeq: number;
}

/** One stored event as the relay publishes it. */
export interface StoredEvent {
  seq: number;
  subject: string;
  /** The envelope JSON, exactly as written. */
  envelope: string;
}

/**
 * An event to store whose position is not known yet: its envelope is `head` + seq + `tail`
 * (the envelope's JSON, split where its `seq` goes).
 */
export interface UnnumberedEvent {
  subject: string;
  head: string;
  tail: string;
}

/**
 * The event stream in the database: positions are taken inside the writer's transaction, rows are
 * read back in position order by the relay, the feed and resuming clients, and pruned by age and
 * count once they are published.
 */
export abstract class EventStore {
  /**
   * Takes consecutive positions for `events` in the transaction `tx` and writes them with those
   * positions; resolves with the first. The stream's row stays locked until `tx` ends, so
   * positions follow commit order with no gap.
   */
  abstract appendNumbered(
    tx: Transaction,
    events: UnnumberedEvent[],
    createdAt: Date,
  ): Promise<number>;
  abstract position(): Promise<StreamPosition>;
  /** Retained envelopes (JSON) with a position above `after`, in order. */
  abstract readAfter(after: number, limit: number): Promise<StoredEvent[]>;
  /** Rows not yet published and not set aside, in order. */
  abstract unpublished(limit: number): Promise<StoredEvent[]>;
  abstract countUnpublished(): Promise<number>;
  abstract countSetAside(): Promise<number>;
  abstract markPublished(seqs: number[], at: Date): Promise<void>;
  /**
   * Marks up to `limit` pending rows published as they are (nothing will publish them: NATS is
   * off); resolves with the highest position among them, if any.
   */
  abstract retirePending(at: Date, limit: number): Promise<number | undefined>;
  /** Keeps a row NATS refused for good, with the reason; the relay goes on without it. */
  abstract setAside(seq: number, reason: string, at: Date): Promise<void>;
  /**
   * Deletes published rows created before `before`, and the oldest published ones beyond the
   * newest `keep`. Unpublished rows are never deleted.
   */
  abstract prune(before: Date, keep: number): Promise<void>;
}
