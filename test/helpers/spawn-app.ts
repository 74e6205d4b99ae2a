import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnedApp {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built app (`dist/src/main.js`) as its own process, as an operator would. */
export function spawnApp(env: Record<string, string>, port: number): SpawnedApp {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run "npm run build" before the e2e tests`);
  }
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, NATS_URL: '', TASK_INTERVAL_SECONDS: '0', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      return exited;
    },
  };
}

/** Polls `url` until it answers (any status) or the deadline passes. */
export async function waitForHttp(
  url: string,
  deadlineMs = 20_000,
  app?: SpawnedApp,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (app && app.child.exitCode !== null) {
        throw new Error(`app exited with ${app.child.exitCode}:\n${app.output()}`);
      }
      if (Date.now() > end) {
        throw new Error(`${url} did not answer within ${deadlineMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
