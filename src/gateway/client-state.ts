import { EventEnvelope } from '../events/domain-events';
import type { ServerFrameName } from './frames';

/** The close code for a client too far behind (a 4xxx code: the application's own). */
export const CLOSE_SLOW_CONSUMER = 4008;

export type Frame = { event: ServerFrameName; payload?: unknown };

/** Live events one catching-up client may have held back before the store is read instead. */
const MAX_HELD = 5000;

/**
 * A client's replay in progress. Live events wait here until the replay has sent everything
 * before them; past MAX_HELD they are dropped and the replay reads them from the store instead
 * (every event the stream delivered is stored), so a long replay beside a busy stream stays
 * bounded in memory.
 */
export class CatchUp {
  private held: EventEnvelope[] = [];

  /** @param target the stream's position when the replay began: the store is read up to it. */
  constructor(public target: number) {}

  hold(envelope: EventEnvelope): void {
    if (this.held.length >= MAX_HELD) {
      this.held = [];
      this.target = envelope.seq;
      return;
    }
    this.held.push(envelope);
  }

  /** The live events held so far, in order; the next ones are held anew. */
  take(): EventEnvelope[] {
    const held = this.held;
    this.held = [];
    return held;
  }
}

export interface ClientState {
  /** The events it subscribed to; null: every event. */
  patterns: string[] | null;
  alive: boolean;
  /** Set while a resume replays the store: live events are held, not sent. */
  catchUp?: CatchUp;
}
