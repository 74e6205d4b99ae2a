import { INestApplication, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { handleShutdownSignals, ShutdownProcess } from './graceful-shutdown';

/** A process stand-in: signals are emitted by the test, exits are recorded. */
class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

function fakeApp(close: () => Promise<void>) {
  const steps: string[] = [];
  const server = {
    close: () => steps.push('server.close'),
    closeIdleConnections: () => steps.push('server.closeIdleConnections'),
    closeAllConnections: () => steps.push('server.closeAllConnections'),
  };
  const app = {
    getHttpServer: () => server,
    close: async () => {
      steps.push('app.close');
      await close();
      steps.push('app.closed');
    },
  } as unknown as INestApplication;
  return { app, steps };
}

const quiet = { log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger;

describe('handleShutdownSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it.each(['SIGTERM', 'SIGINT'])(
    'on %s stops taking requests, then closes the app, then exits 0',
    async (signal) => {
      const proc = new FakeProcess();
      const { app, steps } = fakeApp(() => Promise.resolve());
      handleShutdownSignals(app, 10_000, proc, quiet);
      proc.emit(signal, signal);
      await jest.advanceTimersByTimeAsync(0);
      expect(steps).toEqual([
        'server.close',
        'server.closeIdleConnections',
        'app.close',
        'app.closed',
      ]);
      expect(proc.exits).toEqual([0]);
      // the deadline timer was cleared: nothing else happens later
      await jest.advanceTimersByTimeAsync(20_000);
      expect(proc.exits).toEqual([0]);
    },
  );

  it('cuts the connections still open after the grace period (a request or an unused socket)', async () => {
    const proc = new FakeProcess();
    let finish = () => undefined as void;
    const { app, steps } = fakeApp(() => new Promise<void>((resolve) => (finish = resolve)));
    handleShutdownSignals(app, 10_000, proc, quiet);
    proc.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(2_499);
    expect(steps).not.toContain('server.closeAllConnections');
    await jest.advanceTimersByTimeAsync(1);
    expect(steps.at(-1)).toBe('server.closeAllConnections');
    finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 when the shutdown is not done by the deadline', async () => {
    const proc = new FakeProcess();
    const { app } = fakeApp(() => new Promise(() => undefined));
    handleShutdownSignals(app, 5_000, proc, quiet);
    proc.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(proc.exits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(proc.exits).toEqual([1]);
  });

  it('exits 1 when a shutdown hook fails', async () => {
    const proc = new FakeProcess();
    const { app } = fakeApp(() => Promise.reject(new Error('database gone')));
    handleShutdownSignals(app, 5_000, proc, quiet);
    proc.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    expect(proc.exits).toEqual([1]);
  });

  it('a second signal during the shutdown exits 1 at once', async () => {
    const proc = new FakeProcess();
    const { app, steps } = fakeApp(() => new Promise(() => undefined));
    handleShutdownSignals(app, 5_000, proc, quiet);
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGINT', 'SIGINT');
    await jest.advanceTimersByTimeAsync(0);
    expect(proc.exits).toEqual([1]);
    expect(steps.filter((s) => s === 'app.close')).toHaveLength(1);
  });
});
