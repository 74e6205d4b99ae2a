import { registerAs } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { validatedEnv } from './validated-env';

export const appConfig = registerAs('app', () => {
  const env = validatedEnv();
  return {
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    /** Human-readable log lines instead of JSON (NODE_ENV=development). */
    logPretty: env.NODE_ENV === 'development',
    httpAdapter: env.HTTP_ADAPTER,
    bodyLimit: env.BODY_LIMIT,
    wsHeartbeatMs: env.WS_HEARTBEAT_MS,
    /** After SIGTERM/SIGINT, the process exits by then even if the shutdown has not finished. */
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    helperThreadsNice: env.HELPER_THREADS_NICE,
    /** Identifies this process in event envelopes (`origin`) and logs. */
    instanceId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
  };
});
