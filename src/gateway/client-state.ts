import { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { EventEnvelope } from '../events/domain-events';
import type { ServerFrameName } from './frames';

/** The close code for a client too far behind (a 4xxx code: the application's own). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** A client this far behind (bytes queued, unsent) is disconnected rather than allowed to grow memory. */
export const MAX_BUFFERED = 1024 * 1024;

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

const logger = new Logger('EventsGateway');

/**
 * The one way anything reaches a client, events and replies alike, so a client that sends
 * commands and never reads the answers is cut like one that never reads events: past
 * MAX_BUFFERED unsent bytes it is closed (4008) instead of sent to. False when nothing was sent.
 */
export function deliver(client: WebSocket, data: string, sent?: (error?: Error) => void): boolean {
  if (client.readyState !== client.OPEN) {
    return false;
  }
  if (client.bufferedAmount > MAX_BUFFERED) {
    logger.warn(`closing a slow WebSocket client: ${client.bufferedAmount} bytes unsent`);
    client.close(CLOSE_SLOW_CONSUMER, 'slow consumer: too far behind');
    return false;
  }
  client.send(data, sent);
  return true;
}

export function sendFrame(client: WebSocket, frame: Frame): boolean {
  return deliver(client, JSON.stringify(frame));
}
