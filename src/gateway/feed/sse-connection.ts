import type { ServerResponse } from 'node:http';
import { sseComment, sseEvent } from './sse-frames';

/** The timings and bounds of a Server-Sent Events stream; a provider, so a unit test can shorten them. */
export class EventStreamOptions {
  /** A comment this often keeps proxies and load balancers from closing an idle stream. */
  keepAliveMs = 15_000;
  /** Live events queued for a client that does not read: beyond this it is cut (it resumes). */
  maxBufferedBytes = 4 * 1024 * 1024;
  /** Events read from the store at a time while replaying. */
  replayPage = 1000;
  /** Live events held while a replay runs; beyond this they are read back from the store instead. */
  maxHeld = 10_000;
}

/**
 * One client's stream over the Node response (Express hands one to `@Res()`, Fastify's `reply.raw`
 * is one), so nothing here depends on the HTTP adapter.
 */
export class SseConnection {
  closed = false;
  /** Set when a write was refused by the socket's buffer: wait for `drained()` before more. */
  needsDrain = false;
  /** The last position this client was given or went past (filtered out); its `Last-Event-ID` then. */
  covered = 0;
  private lastId = 0;
  private keepAlive?: NodeJS.Timeout;
  private readonly closeListeners: (() => void)[] = [];
  /** Replays waiting for a drain, woken when the stream ends instead. */
  private readonly wakers = new Set<() => void>();
  private readonly onGone = () => this.end();

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
  ) {
    res.once('close', this.onGone);
    res.once('error', this.onGone);
  }

  /** Sends the headers at once, so the client knows the stream is open before any event. */
  start(epoch: string): void {
    if (this.closed || this.res.destroyed) {
      this.end();
      return;
    }
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      // nginx would otherwise buffer the stream
      'X-Accel-Buffering': 'no',
      'X-Stream-Epoch': epoch,
    });
    this.res.flushHeaders();
    this.keepAlive = setInterval(() => this.comment('keep-alive'), this.options.keepAliveMs);
    this.keepAlive.unref();
  }

  /** Leaves the response to the error filter: nothing was sent yet. */
  abandon(): void {
    this.res.off('close', this.onGone);
    this.res.off('error', this.onGone);
    this.closed = true;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  send(seq: number, event: string, data: string): void {
    this.write(sseEvent(seq, event, data));
    this.lastId = seq;
    this.covered = Math.max(this.covered, seq);
  }

  /** Events already framed (a replayed page), in one write: one chunk on the wire, not hundreds. */
  sendFramed(frames: string[], lastId: number): void {
    if (frames.length > 0) {
      this.write(frames.join(''));
      this.lastId = lastId;
      this.covered = Math.max(this.covered, lastId);
    }
  }

  /** A live event: a client this far behind is cut rather than allowed to grow memory. */
  sendLive(seq: number, event: string, data: string): void {
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      // cut, not ended: what is queued would never drain to a client that does not read
      this.res.destroy();
      this.end();
      return;
    }
    this.send(seq, event, data);
  }

  /** Resolves once the socket took what was queued, or the stream ended. */
  drained(): Promise<void> {
    if (!this.needsDrain || this.closed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.wakers.delete(done);
        this.needsDrain = false;
        resolve();
      };
      this.res.on('drain', done);
      this.wakers.add(done);
    });
  }

  /** Ends the stream (idempotent): client gone, slow, or the instance shutting down. */
  end(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this.keepAlive);
    if (!this.res.writableEnded && !this.res.destroyed) {
      this.res.end();
    }
    for (const listener of [...this.closeListeners.splice(0), ...this.wakers]) {
      listener();
    }
  }

  private comment(text: string): void {
    // positions filtered out since the last id still count: a reconnect resumes after them
    const id = this.covered > this.lastId ? this.covered : undefined;
    this.write(sseComment(text, id));
    if (id !== undefined) {
      this.lastId = id;
    }
  }

  private write(chunk: string): void {
    if (this.closed) {
      return;
    }
    if (!this.res.write(chunk)) {
      this.needsDrain = true;
    }
  }
}
