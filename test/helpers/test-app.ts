import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/configure-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  baseUrl: string;
  dataSource: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Test-only defaults: no NATS, no schedule, quiet logs; a test passes what it needs on top. */
const TEST_ENV: Record<string, string> = {
  NATS_URL: '',
  TASK_INTERVAL_SECONDS: '0',
  // the pino request lines (5xx at warn) stay out of the test output; errors still show
  LOG_LEVEL: 'error',
};

/** Starts the real app, as main.ts does (createApp), on a random port and a fresh database. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** Reuse a database (e.g. to restart the app on it); it is then not dropped by close(). */
  reuse?: TestDatabase,
  /** A fixed port (e.g. to restart the app where its clients will reconnect); 0 = any free port. */
  port = 0,
): Promise<TestApp> {
  const database = reuse ?? (await createTestDatabase());
  Object.assign(process.env, TEST_ENV, env, { DATABASE_URL: database.url, PORT: '0' });
  // Nest's console logger, errors only; a failed start rejects instead of ending the test process
  const app = await createApp({ logger: ['error'], abortOnError: false });
  await app.listen(port, '127.0.0.1');
  const { port: listening } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${listening}`;
  return {
    app,
    http: request(baseUrl),
    baseUrl,
    dataSource: app.get(DataSource),
    database,
    close: async () => {
      // as the service's own shutdown does: stop listening first, so a client that reconnects
      // at once (the live page does) cannot open a connection that keeps the server from closing;
      const server: Server = app.getHttpServer();
      server.close();
      // a test closes with nothing in flight; a socket Chromium opened ahead of time and never
      // used would otherwise hold the close for the 60 s headers timeout
      server.closeAllConnections();
      await app.close();
      if (!reuse) {
        await database.drop();
      }
    },
  };
}
