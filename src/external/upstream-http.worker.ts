/**
 * The worker thread that makes the service's outbound GETs (see WorkerHttpClient): request
 * building, sockets, JSON parsing and the resilience policies run here, so a refresh of
 * thousands of products does not take the main thread's event loop from the API. It loads only
 * axios and cockatiel (not Nest), so it starts in a moment.
 */
import axios from 'axios';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ConfigType } from '@nestjs/config';
import type { externalConfig } from '../config/external.config';
import { ResilientHttpClient } from './resilient-http-client';
import { UpstreamError } from './upstream-error';
import { CircuitStateName, UpstreamAttempt, UpstreamObserver } from './upstream-http';
import type { CallRequest, WorkerReport } from './upstream-worker.protocol';

const port = parentPort;
if (!port) {
  throw new Error('upstream-http.worker must run as a worker thread');
}

/**
 * Bulk fetches are background work: on Linux a thread has its own nice value, so this one
 * yields the CPU to the API's event loop whenever both want it (on a machine with a core to
 * spare it changes nothing). Where the OS refuses, the thread keeps the normal priority.
 */
const UPSTREAM_THREAD_NICE = 19;
try {
  setPriority(UPSTREAM_THREAD_NICE);
} catch {
  // not permitted here: run at the normal priority
}

/** Reports go back in one message per turn of this thread's event loop, in the order they happened. */
const reports: WorkerReport[] = [];
let flushScheduled = false;
function report(entry: WorkerReport): void {
  reports.push(entry);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      port?.postMessage(reports.splice(0));
    });
  }
}

/** Which call an attempt belongs to, across the policies' awaits and timers. */
const currentCall = new AsyncLocalStorage<number>();

class ReportingObserver extends UpstreamObserver {
  attempted(attempt: UpstreamAttempt): void {
    report({ type: 'attempt', id: currentCall.getStore() ?? 0, attempt });
  }

  circuitChanged(host: string, state: CircuitStateName): void {
    report({ type: 'circuit', host, state });
  }
}

const client = new ResilientHttpClient(
  axios.create(),
  workerData as ConfigType<typeof externalConfig>,
  new ReportingObserver(),
);

function run({ id, url, acceptStatuses }: CallRequest): void {
  currentCall.run(id, () => {
    client.getJson(url, acceptStatuses).then(
      ({ status, data }) => report({ type: 'done', id, status, data }),
      (error: unknown) =>
        report({
          type: 'failed',
          id,
          error:
            error instanceof UpstreamError
              ? {
                  failure: error.failure,
                  message: error.message,
                  status: error.status,
                  retryAfterMs: error.retryAfterMs,
                }
              : { failure: 'network', message: `upstream call failed: ${String(error)}` },
        }),
    );
  });
}

port.on('message', (calls: CallRequest[]) => calls.forEach(run));
