import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

export const externalConfig = registerAs('external', () => {
  const env = validatedEnv();
  return {
    provider: env.EXTERNAL_API_PROVIDER,
    baseUrl: env.EXTERNAL_API_URL.replace(/\/+$/, ''),
    concurrency: env.EXTERNAL_CONCURRENCY,
    timeoutMs: env.EXTERNAL_TIMEOUT_MS,
    retries: env.EXTERNAL_RETRIES,
    breakerThreshold: env.EXTERNAL_BREAKER_THRESHOLD,
    breakerCooldownMs: env.EXTERNAL_BREAKER_COOLDOWN_MS,
    httpThread: env.EXTERNAL_HTTP_THREAD,
  };
});
