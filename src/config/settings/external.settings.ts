import { Transform } from 'class-transformer';
import { IsIn, Matches } from 'class-validator';
import { IntSetting, emptyToUndefined } from './setting-decorators';

const EXTERNAL_PROVIDERS = ['dummyjson', 'jsonplaceholder'] as const;
const EXTERNAL_HTTP_THREADS = ['worker', 'main'] as const;

/** The product catalog upstream and how it is called. */
export class ExternalSettings {
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
}
