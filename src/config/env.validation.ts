import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
  ValidationError,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const EXTERNAL_PROVIDERS = ['dummyjson', 'jsonplaceholder'] as const;
const EXTERNAL_HTTP_THREADS = ['worker', 'main'] as const;
const API_TYPES = ['fiat', 'crypto', 'mock'] as const;

/** An empty value in `.env` means "use the default", never "zero". */
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;
/** Env values are strings: turn digits into numbers, leave anything else to fail validation. */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim())
    ? Number(value)
    : emptyToUndefined({ value });

/** An integer setting from `min` (to `max`), with one message for every way it can be wrong. */
function IntSetting(message: string, min: number, max?: number): PropertyDecorator {
  const options = { message };
  const range = max === undefined ? [Min(min, options)] : [Min(min, options), Max(max, options)];
  return applyDecorators(Transform(toNumber), ...range, IsInt(options));
}

/** Every setting of the service, with its default (ConfigModule and ormconfig.ts pass it in). */
export class EnvironmentVariables {
  @IntSetting('PORT must be an integer between 0 and 65535', 0, 65535)
  PORT = 8000;

  @Transform(emptyToUndefined)
  @Matches(/^(sqlite:.*|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or postgres://user@host:port/db',
  })
  DATABASE_URL = 'sqlite:./data/app.db';

  /** Empty means NATS off. */
  @ValidateIf((_, value) => value !== '')
  @Matches(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, {
    message: 'NATS_URL must be empty or nats://host:port[,nats://host:port…]',
  })
  NATS_URL = '';

  @Transform(emptyToUndefined)
  @IsIn(EXTERNAL_PROVIDERS, {
    message: `EXTERNAL_API_PROVIDER must be one of ${EXTERNAL_PROVIDERS.join(', ')}`,
  })
  EXTERNAL_API_PROVIDER: (typeof EXTERNAL_PROVIDERS)[number] = 'dummyjson';

  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'EXTERNAL_API_URL must be an http(s) URL' })
  EXTERNAL_API_URL = 'https://dummyjson.com';

  @IntSetting('EXTERNAL_CONCURRENCY must be an integer between 1 and 256', 1, 256)
  EXTERNAL_CONCURRENCY = 16;

  @IntSetting('EXTERNAL_TIMEOUT_MS must be an integer between 1 and 600000', 1, 600000)
  EXTERNAL_TIMEOUT_MS = 5000;

  @IntSetting('EXTERNAL_RETRIES must be an integer between 0 and 10', 0, 10)
  EXTERNAL_RETRIES = 3;

  /** Consecutive failed calls to one upstream host that open its circuit breaker. */
  @IntSetting('EXTERNAL_BREAKER_THRESHOLD must be an integer >= 1', 1)
  EXTERNAL_BREAKER_THRESHOLD = 10;

  /** How long an open breaker refuses calls before it lets one through to test the upstream. */
  @IntSetting('EXTERNAL_BREAKER_COOLDOWN_MS must be an integer >= 100', 100)
  EXTERNAL_BREAKER_COOLDOWN_MS = 10000;

  @Transform(emptyToUndefined)
  @IsIn(EXTERNAL_HTTP_THREADS, {
    message: `EXTERNAL_HTTP_THREAD must be one of ${EXTERNAL_HTTP_THREADS.join(', ')}`,
  })
  EXTERNAL_HTTP_THREAD: (typeof EXTERNAL_HTTP_THREADS)[number] = 'worker';

  @Transform(emptyToUndefined)
  @IsIn(API_TYPES, { message: `API_TYPE must be one of ${API_TYPES.join(', ')}` })
  API_TYPE: (typeof API_TYPES)[number] = 'mock';

  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'EXCHANGE_RATES_API_URL must be an http(s) URL' })
  EXCHANGE_RATES_API_URL = 'https://api.exchangerate-api.com/v4/latest/USD';

  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'CRYPTO_API_URL must be an http(s) URL' })
  CRYPTO_API_URL = 'https://api.binance.com/api/v3/ticker/price';

  @Transform(emptyToUndefined)
  @Matches(/^[A-Z0-9]{4,20}(,[A-Z0-9]{4,20})*$/, {
    message: 'CRYPTO_SYMBOLS must be a comma-separated list like BTCUSDT,ETHUSDT',
  })
  CRYPTO_SYMBOLS = 'BTCUSDT,ETHUSDT,BNBUSDT,SOLUSDT,XRPUSDT';

  @IntSetting('TASK_INTERVAL_SECONDS must be an integer >= 0 (0 = off)', 0)
  TASK_INTERVAL_SECONDS = 60;

  @ValidateIf((_, value) => value !== '')
  @Matches(/^\S+( \S+){5}$/, { message: 'RATES_CRON must be a six-field cron expression' })
  RATES_CRON = '';

  @Transform(emptyToUndefined)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `development` switches the logs to human-readable lines (pino-pretty); otherwise JSON lines. */
  @Transform(emptyToUndefined)
  @IsString()
  NODE_ENV = 'production';

  /** Keys that writes (REST non-GET, NATS write patterns) must carry; empty = no key needed. */
  @ValidateIf((_, value) => value !== '')
  @Matches(/^\s*[\x21-\x2b\x2d-\x7e]+(\s*,\s*[\x21-\x2b\x2d-\x7e]+)*\s*$/, {
    message: 'API_KEYS must be comma-separated keys of visible ASCII characters (no spaces)',
  })
  @IsString()
  API_KEYS = '';

  /** Browser origins allowed by CORS: comma-separated, `*` for any, empty = CORS off. */
  @ValidateIf((_, value) => value !== '')
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)$/, {
    message:
      'CORS_ORIGINS must be empty, * or comma-separated origins like https://app.example.com',
  })
  CORS_ORIGINS = '';

  /** Calls per client and window to each expensive endpoint (fetch_external, refresh_all, tasks/run). */
  @IntSetting('RATE_LIMIT_EXPENSIVE must be an integer >= 0 (0 = off)', 0)
  RATE_LIMIT_EXPENSIVE = 30;

  @IntSetting('RATE_LIMIT_WINDOW_SECONDS must be an integer >= 1', 1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** How often WebSocket clients are pinged; one that misses a ping is dropped. */
  @IntSetting('WS_HEARTBEAT_MS must be an integer >= 100', 100)
  WS_HEARTBEAT_MS = 30000;

  /** How long a lease (scheduled sync, a running job) outlives its holder's last renewal. */
  @IntSetting('LEASE_TTL_MS must be an integer between 1000 and 3600000', 1000, 3600000)
  LEASE_TTL_MS = 15000;

  /** How long the event stream keeps an event (the feed, resuming clients, JetStream). */
  @IntSetting('EVENT_RETENTION_HOURS must be an integer between 1 and 8760', 1, 8760)
  EVENT_RETENTION_HOURS = 24;

  /** At most this many events are kept; older ones go first. */
  @IntSetting('EVENT_RETENTION_MAX must be an integer between 1 and 100000000', 1, 100000000)
  EVENT_RETENTION_MAX = 1000000;

  /** The JetStream stream over products.updates and items.updates (when the server has JetStream). */
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'NATS_STREAM must match [A-Za-z0-9_-]{1,64}' })
  NATS_STREAM = 'CATALOG_EVENTS';

  /** How long a shutdown (SIGTERM/SIGINT) may take before the process exits anyway. */
  @IntSetting('SHUTDOWN_TIMEOUT_MS must be an integer between 1000 and 600000', 1000, 600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** Nice value of the runtime's helper threads (garbage collection), Linux; 0 leaves them as they are. */
  @IntSetting('HELPER_THREADS_NICE must be an integer between 0 and 19', 0, 19)
  HELPER_THREADS_NICE = 10;

  /** Largest accepted request body, in the `bytes` syntax of body-parser (e.g. 1mb, 512kb). */
  @Transform(emptyToUndefined)
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 512kb or 1mb' })
  BODY_LIMIT = '1mb';
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(error: ValidationError, raw: Record<string, unknown>): string {
  // show what the operator wrote, not what the transform made of it
  const shown = JSON.stringify(raw[error.property] ?? error.value);
  const constraints = Object.values(error.constraints ?? {});
  return `${constraints[0] ?? `${error.property} is invalid`} (got ${shown})`;
}

/** Validates and types the environment; throws one error naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const picked = Object.fromEntries(
    known.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]),
  );
  const env = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  // defaults survive a Transform that mapped '' to undefined
  const defaults = new EnvironmentVariables();
  for (const key of known as (keyof EnvironmentVariables)[]) {
    if (env[key] === undefined) {
      Object.assign(env, { [key]: defaults[key] });
    }
  }
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((error) => describe(error, raw)));
  }
  return env;
}
