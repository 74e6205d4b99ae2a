import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { externalConfig } from '../config/external.config';
import { captureLogContext, InLogContext } from '../logging/log-context';
import { UpstreamError } from './upstream-error';
import {
  CircuitStateName,
  UpstreamHttp,
  UpstreamObserver,
  UpstreamResponse,
} from './upstream-http';
import type { CallRequest, WorkerReport } from './upstream-worker.protocol';

interface PendingCall {
  resolve: (response: UpstreamResponse) => void;
  reject: (error: UpstreamError) => void;
  /** The caller's async context, so an attempt's log line carries the caller's request id. */
  inContext: InLogContext;
}

/** Compiled: the .js beside this file; under ts-jest: the .ts, loaded through ts-node. */
const WORKER_ENTRY = join(__dirname, `upstream-http.worker${extname(__filename)}`);
const WORKER_EXEC_ARGV =
  extname(__filename) === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

/**
 * The main thread's side of the outbound calls: each GET is handed to one worker thread that
 * runs the resilient client (bulkhead, timeouts, retries, breakers), and its answer comes back
 * as a message. Calls made in the same tick travel in one message each way. What the worker saw
 * (attempts, breaker states) is replayed here to the observer, which logs and counts it.
 * The thread is started with the app, so the first call does not wait for it to load; one that
 * dies is replaced by the next call.
 */
export class WorkerHttpClient extends UpstreamHttp implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Upstream');
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private queued: CallRequest[] = [];
  private readonly circuits = new Map<string, CircuitStateName>();
  private stopped = false;

  constructor(
    private readonly config: ConfigType<typeof externalConfig>,
    private readonly observer: UpstreamObserver,
  ) {
    super();
  }

  onModuleInit(): void {
    this.ensureWorker();
  }

  getJson(url: string, acceptStatuses: number[] = [404]): Promise<UpstreamResponse> {
    if (this.stopped) {
      return Promise.reject(new UpstreamError('network', 'the service is shutting down'));
    }
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, {
        resolve,
        reject,
        inContext: captureLogContext(),
      });
      if (this.queued.length === 0) {
        queueMicrotask(() => this.flush());
      }
      this.queued.push({ id, url, acceptStatuses });
    });
  }

  circuitOpenFor(url: string): number | undefined {
    if (this.circuits.get(new URL(url).host) !== 'open') {
      return undefined;
    }
    return Math.max(1, Math.ceil(this.config.breakerCooldownMs / 1000));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failPending('the service is shutting down');
    await worker?.terminate();
  }

  private flush(): void {
    const calls = this.queued;
    this.queued = [];
    if (calls.length > 0) {
      this.ensureWorker().postMessage(calls);
    }
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const worker = new Worker(WORKER_ENTRY, {
        workerData: this.config,
        execArgv: WORKER_EXEC_ARGV,
      });
      worker.on('message', (reports: WorkerReport[]) => reports.forEach((r) => this.receive(r)));
      const lost = (reason: string) => {
        if (this.worker !== worker) {
          return;
        }
        this.logger.error({
          msg: 'upstream worker stopped; the next call starts a new one',
          reason,
        });
        this.worker = undefined;
        // the breaker states died with it
        this.circuits.clear();
        this.failPending(`upstream worker stopped: ${reason}`);
      };
      worker.on('error', (error) => lost(error.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
      this.worker = worker;
    }
    return this.worker;
  }

  private receive(report: WorkerReport): void {
    switch (report.type) {
      case 'attempt': {
        const call = this.pending.get(report.id);
        call?.inContext(() => this.observer.attempted(report.attempt));
        return;
      }
      case 'circuit':
        this.circuits.set(report.host, report.state);
        this.observer.circuitChanged(report.host, report.state);
        return;
      case 'done':
        this.settle(report.id)?.resolve({ status: report.status, data: report.data });
        return;
      case 'failed': {
        const { failure, message, status, retryAfterMs } = report.error;
        this.settle(report.id)?.reject(new UpstreamError(failure, message, status, retryAfterMs));
        return;
      }
    }
  }

  private settle(id: number): PendingCall | undefined {
    const call = this.pending.get(id);
    this.pending.delete(id);
    return call;
  }

  private failPending(reason: string): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.queued = [];
    calls.forEach((call) => call.reject(new UpstreamError('network', reason)));
  }
}
