/**
 * `npm run lint:openapi`: builds the app from sources (ts-node) on a throw-away SQLite file, with
 * NATS and the schedule off, fetches the document it serves at /docs-json and lints it with
 * Redocly CLI and Spectral. Exit 1 on any error or warning of either.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/configure-app';
import { lintOpenApiFile } from './openapi-linters';

async function servedDocument(dir: string): Promise<unknown> {
  Object.assign(process.env, {
    DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
    NATS_URL: '',
    TASK_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'error',
    PORT: '0',
  });
  const app = await createApp({ logger: ['error'], abortOnError: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/docs-json`);
    if (!response.ok) {
      throw new Error(`GET /docs-json answered ${response.status}`);
    }
    return await response.json();
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-rates-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(await servedDocument(dir), null, 2));
    const results = lintOpenApiFile(file);
    for (const { linter, passed, output } of results) {
      console.log(`--- ${linter}: ${passed ? 'clean' : 'FAILED'}\n${output}`);
    }
    return results.every((result) => result.passed) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
