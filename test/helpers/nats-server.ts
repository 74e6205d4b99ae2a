import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSONCodec, NatsConnection } from 'nats';
import { pollUntil } from './poll';
import { freePort } from './spawn-app';

export interface TestNatsOptions {
  /** With JetStream, its store in a directory of its own that outlives stop() and start(). */
  jetstream?: boolean;
  /** The largest message the server takes (and tells its clients), in bytes. */
  maxPayload?: number;
}

/** A nats-server of the test's own, on a free port, that the test may stop and start again. */
export class TestNatsServer {
  private process?: ChildProcess;
  private readonly dir: string;

  private constructor(
    readonly port: number,
    private readonly options: TestNatsOptions,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'test-nats-'));
  }

  static async start(options: TestNatsOptions = {}): Promise<TestNatsServer> {
    const server = new TestNatsServer(await freePort(), options);
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port)];
    if (this.options.jetstream) {
      args.push('-js', '-sd', join(this.dir, 'jetstream'));
    }
    if (this.options.maxPayload !== undefined) {
      // max_payload has no command-line flag
      const config = join(this.dir, 'nats.conf');
      writeFileSync(config, `max_payload: ${this.options.maxPayload}\n`);
      args.push('-c', config);
    }
    this.process = spawn('nats-server', args, { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (!(await canConnect(this.port))) {
      if (Date.now() > end) {
        throw new Error(`nats-server did not listen on ${this.port}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    // killed by a signal, a process has no exit code: without the second check a second stop()
    // would wait for an exit that has already happened
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server for good and deletes its files (the JetStream store). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open but nothing is answered, so clients
   * still think they are connected and their flushes go unconfirmed. `resume()` undoes it.
   */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until the app answers `subject` over request-reply: its NATS microservice subscribes in
 * the background, after the app has started listening over HTTP.
 */
export async function untilAnswering(
  nc: NatsConnection,
  subject: string,
  body: unknown,
): Promise<void> {
  await pollUntil(
    () =>
      nc.request(subject, JSONCodec().encode(body), { timeout: 500 }).then(
        () => true,
        () => false,
      ),
    (ok) => ok,
    { what: 'request-reply ready' },
  );
}
