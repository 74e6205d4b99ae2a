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
  /** Clients must log in: with a user and password, a token, or a JWT (operator mode). */
  auth?: NatsServerAuth;
  /** TLS with these PEM files; `verify`: clients must show a certificate that `ca` signed. */
  tls?: { cert: string; key: string; ca?: string; verify?: boolean };
}

export type NatsServerAuth =
  | { user: string; password: string }
  | { token: string }
  /** The operator's JWT, and each account's public key with its JWT (a memory resolver). */
  | { operatorJwt: string; accounts: Record<string, string> };

/** The server's config file for what has no command-line flag (or should stay off `ps`). */
function configOf(options: TestNatsOptions, dir: string): string {
  const lines: string[] = [];
  if (options.maxPayload !== undefined) {
    lines.push(`max_payload: ${options.maxPayload}`);
  }
  const { auth, tls } = options;
  if (auth && 'user' in auth) {
    lines.push(`authorization { user: ${q(auth.user)}, password: ${q(auth.password)} }`);
  } else if (auth && 'token' in auth) {
    lines.push(`authorization { token: ${q(auth.token)} }`);
  } else if (auth) {
    const operator = join(dir, 'operator.jwt');
    writeFileSync(operator, auth.operatorJwt);
    const preload = Object.entries(auth.accounts).map(([key, jwt]) => `${key}: ${q(jwt)}`);
    lines.push(`operator: ${q(operator)}`, 'resolver: MEMORY');
    lines.push(`resolver_preload: { ${preload.join(', ')} }`);
  }
  if (tls) {
    const ca = tls.ca === undefined ? '' : `, ca_file: ${q(tls.ca)}`;
    lines.push(
      `tls { cert_file: ${q(tls.cert)}, key_file: ${q(tls.key)}${ca}, verify: ${tls.verify === true} }`,
    );
  }
  return lines.join('\n');
}

const q = (value: string): string => JSON.stringify(value);

/** A nats-server of the test's own, on a free port, that the test may stop and start again. */
export class TestNatsServer {
  private process?: ChildProcess;
  private readonly dir: string;
  private log = '';

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
    const config = configOf(this.options, this.dir);
    if (config !== '') {
      const file = join(this.dir, 'nats.conf');
      writeFileSync(file, `${config}\n`);
      args.push('-c', file);
    }
    this.process = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
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

  /** What the server has logged so far (e.g. its authorization errors). */
  output(): string {
    return this.log;
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
