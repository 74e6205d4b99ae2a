import { setTimeout as delay } from 'node:timers/promises';
import { connect, ConnectionOptions, NatsConnection } from 'nats';

/** Between attempts to reach NATS, before the first connection and (nats.js' reconnects) after. */
export const NATS_RETRY_MS = 500;

/** Thrown by `connectUntilStopped` when the stop came first: a shutdown, nothing to report. */
export class StoppedBeforeConnect extends Error {
  constructor() {
    super('stopped before NATS was reachable');
  }
}

/**
 * Connects to NATS, trying again every `retryMs` until it succeeds or `signal` aborts; the
 * connection then reconnects forever by itself (every NATS_RETRY_MS). nats.js' own
 * `waitOnFirstConnect` also retries forever, but nothing can stop it: a service closed before
 * NATS was ever reachable would keep its dial timers, and with them its process, alive.
 * `onFailure` sees each failed attempt (the first of a streak is worth a log line).
 */
export async function connectUntilStopped(
  options: ConnectionOptions,
  signal: AbortSignal,
  retryMs = NATS_RETRY_MS,
  onFailure: (error: unknown, attempt: number) => void = () => undefined,
): Promise<NatsConnection> {
  const settings: ConnectionOptions = {
    ...options,
    waitOnFirstConnect: false,
    // an attempt that reached a server still starting up gives up after this, not nats.js' 20 s
    timeout: 5000,
    // nats.js otherwise captures a stack trace per request and publish ack: CPU the API needs
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: NATS_RETRY_MS,
    // nats.js gives up after two refused logins in a row; credentials fixed on the server later
    // (or a server restarted with its auth config) must find the service still trying
    ignoreAuthErrorAbort: true,
  };
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) {
      throw new StoppedBeforeConnect();
    }
    let connection: NatsConnection;
    try {
      connection = await connect(settings);
    } catch (error) {
      onFailure(error, attempt);
      await delay(retryMs, undefined, { signal }).catch(() => undefined);
      continue;
    }
    if (signal.aborted) {
      await connection.close();
      throw new StoppedBeforeConnect();
    }
    return connection;
  }
}
