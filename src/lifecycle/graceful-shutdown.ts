import { INestApplication, Logger } from '@nestjs/common';
import type { Server } from 'node:http';

/** The parts of `process` a shutdown uses (a test passes a fake). */
export interface ShutdownProcess {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

/** How long requests in flight may take to finish before their connections are cut. */
export const closeGraceMs = (timeoutMs: number): number => Math.min(5_000, timeoutMs / 4);

/**
 * SIGTERM and SIGINT shut the service down in this order, then exit 0:
 * 1. stop taking requests: the listening socket closes (a load balancer sees the instance go)
 *    and idle keep-alive connections are cut; requests in flight get `closeGraceMs` to finish,
 *    then every connection left is cut;
 * 2. `app.close()` runs the lifecycle hooks, each phase after the previous one:
 *    - onModuleDestroy: running jobs stop at their next batch and are recorded as failed with
 *      their progress (JobRunner), so their `job.finished` events are in the outbox;
 *    - beforeApplicationShutdown: the outbox relay's last flush to NATS; WebSocket clients get
 *      close code 1001; leases still held are given up (another instance takes over at once);
 *    - dispose: Nest closes the HTTP server and the NATS microservice;
 *    - onApplicationShutdown: the NATS connection drains, the database closes.
 * If that takes longer than `timeoutMs`, the process logs what it was doing and exits 1: what
 * was not flushed stays in the outbox, and a job left `running` is marked failed by the next
 * instance once its lease expires.
 */
export function handleShutdownSignals(
  app: INestApplication,
  timeoutMs: number,
  proc: ShutdownProcess = process,
  logger = new Logger('Shutdown'),
): void {
  let stopping = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again during the shutdown: exiting now`);
      proc.exit(1);
      return;
    }
    stopping = true;
    const started = Date.now();
    logger.log(`${signal}: shutting down (deadline ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs} ms: exiting anyway`);
      proc.exit(1);
    }, timeoutMs);
    const server = app.getHttpServer() as Server;
    server.close();
    server.closeIdleConnections();
    // Requests in flight get a grace period; then every connection left is cut. A socket a
    // browser opened ahead of time and never used is not "idle" to Node, and would hold the
    // server's close (and this shutdown) until its 60 s headers timeout.
    const cutAll = setTimeout(() => server.closeAllConnections(), closeGraceMs(timeoutMs));
    app.close().then(
      () => {
        clearTimeout(cutAll);
        clearTimeout(deadline);
        logger.log(`shut down cleanly in ${Date.now() - started} ms`);
        proc.exit(0);
      },
      (error: unknown) => {
        clearTimeout(cutAll);
        clearTimeout(deadline);
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        proc.exit(1);
      },
    );
  };
  proc.on('SIGTERM', shutDown);
  proc.on('SIGINT', shutDown);
}
