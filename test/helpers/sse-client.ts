import { request, IncomingHttpHeaders, IncomingMessage, ClientRequest } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream as EventSource does (WHATWG HTML): blocks end at a blank line,
 * `field: value` lines (one leading space dropped), `:` comments; `data` lines join with "\n".
 */
export class SseParser {
  private pending = '';
  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onComment: (text: string) => void,
  ) {}

  push(chunk: string): void {
    this.pending += chunk;
    const blocks = this.pending.split(/\r\n\r\n|\n\n|\r\r/);
    this.pending = blocks.pop() ?? '';
    for (const block of blocks) {
      this.block(block);
    }
  }

  private block(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith(':')) {
        this.onComment(line.slice(1).replace(/^ /, ''));
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') {
        id = value;
      } else if (field === 'event') {
        event = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
    if (data.length > 0 || id !== undefined) {
      this.onEvent({ id, event, data: data.join('\n') });
    }
  }
}

/** A Server-Sent Events client over node:http that keeps every event and comment. */
export class TestSseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private raw = '';
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly req: ClientRequest,
    readonly res: IncomingMessage,
  ) {
    const parser = new SseParser(
      (event) => (this.events.push(event), this.notify()),
      (text) => (this.comments.push(text), this.notify()),
    );
    res.setEncoding('utf8');
    res.on('data', (chunk: string) =>
      res.statusCode === 200 ? parser.push(chunk) : (this.raw += chunk),
    );
    res.on('close', () => ((this.ended = true), this.notify()));
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  get headers(): IncomingHttpHeaders {
    return this.res.headers;
  }

  /** Opens `path`; resolves once the response headers arrived (the stream is then subscribed). */
  static connect(
    baseUrl: string,
    path = '/events/stream',
    headers: Record<string, string> = {},
  ): Promise<TestSseClient> {
    return new Promise((resolve, reject) => {
      const req = request(`${baseUrl}${path}`, {
        headers: { Accept: 'text/event-stream', ...headers },
      });
      req.once('response', (res) => resolve(new TestSseClient(req, res)));
      req.once('error', reject);
      req.end();
    });
  }

  /** The whole body of a non-stream answer (an error), parsed as JSON. */
  async json(): Promise<Record<string, unknown>> {
    await this.waitEnded();
    return JSON.parse(this.raw) as Record<string, unknown>;
  }

  /** The events with a data payload parsed as JSON (envelopes), from `from` on. */
  envelopes(from = 0): Record<string, unknown>[] {
    return this.events
      .slice(from)
      .filter((e) => e.event !== 'resync')
      .map((e) => JSON.parse(e.data) as Record<string, unknown>);
  }

  /** Waits until `done` holds for the client, up to the deadline. */
  async until(done: (client: this) => boolean, what = 'condition', deadlineMs = 10_000) {
    const end = Date.now() + deadlineMs;
    while (!done(this)) {
      if (Date.now() > end) {
        throw new Error(
          `${what} not reached within ${deadlineMs} ms; got ${JSON.stringify(this.events.slice(-5)).slice(0, 800)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Waits for `n` events in all. */
  count(n: number, deadlineMs?: number): Promise<void> {
    return this.until((c) => c.events.length >= n, `${n} events`, deadlineMs);
  }

  waitEnded(deadlineMs?: number): Promise<void> {
    return this.until((c) => c.ended, 'the end of the stream', deadlineMs);
  }

  close(): void {
    this.req.destroy();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
