import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches } from 'class-validator';
import { IntSetting, emptyToUndefined } from './setting-decorators';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const HTTP_ADAPTERS = ['express', 'fastify'] as const;

/** The process: its port, logs, body limit, shutdown and leases. */
export class ServerSettings {
  @IntSetting('PORT must be an integer between 0 and 65535', 0, 65535)
  PORT = 8000;

  @Transform(emptyToUndefined)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `development` switches the logs to human-readable lines (pino-pretty); otherwise JSON lines. */
  @Transform(emptyToUndefined)
  @IsString()
  NODE_ENV = 'production';

  /** The HTTP framework under Nest: Express (the default) or Fastify (more requests per core). */
  @Transform(emptyToUndefined)
  @IsIn(HTTP_ADAPTERS, { message: `HTTP_ADAPTER must be one of ${HTTP_ADAPTERS.join(', ')}` })
  HTTP_ADAPTER: (typeof HTTP_ADAPTERS)[number] = 'express';

  /** Largest accepted request body, in the `bytes` syntax of body-parser (e.g. 1mb, 512kb). */
  @Transform(emptyToUndefined)
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  /** How long a shutdown (SIGTERM/SIGINT) may take before the process exits anyway. */
  @IntSetting('SHUTDOWN_TIMEOUT_MS must be an integer between 1000 and 600000', 1000, 600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** Nice value of the runtime's helper threads (garbage collection), Linux; 0 leaves them as they are. */
  @IntSetting('HELPER_THREADS_NICE must be an integer between 0 and 19', 0, 19)
  HELPER_THREADS_NICE = 0;

  /** How long a lease (scheduled sync, a running job) outlives its holder's last renewal. */
  @IntSetting('LEASE_TTL_MS must be an integer between 1000 and 3600000', 1000, 3600000)
  LEASE_TTL_MS = 15000;
}
