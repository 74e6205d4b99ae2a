import WebSocket from 'ws';

export interface Frame {
  event: string;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A WebSocket client that keeps every frame, and waits for the one a test needs. */
export class TestWsClient {
  readonly frames: Frame[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.notify();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
  }

  static async connect(
    baseUrl: string,
    options: WebSocket.ClientOptions = {},
    /** e.g. `?after=41&epoch=…` to resume on connect */
    query = '',
  ): Promise<TestWsClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/items${query}`, options);
    const client = new TestWsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.next((f) => f.event === 'welcome');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (from `from` on) that matches, waiting up to the deadline. */
  async next(match: (frame: Frame) => boolean, from = 0, deadlineMs = 10_000): Promise<Frame> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) {
        return found;
      }
      if (this.closed) {
        throw new Error(`socket closed (${this.closed.code}) before the frame came`);
      }
      if (Date.now() > end) {
        throw new Error(
          `no matching frame within ${deadlineMs} ms; got ${JSON.stringify(this.frames.slice(from)).slice(0, 500)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async waitClosed(deadlineMs = 10_000): Promise<{ code: number; reason: string }> {
    const end = Date.now() + deadlineMs;
    while (!this.closed) {
      if (Date.now() > end) {
        throw new Error('socket still open');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.terminate();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
