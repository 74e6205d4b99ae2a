import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

export const securityConfig = registerAs('security', () => {
  const env = validatedEnv();
  const list = (value: string) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  return {
    /** Empty: writes need no key. */
    apiKeys: list(env.API_KEYS),
    /** `[]`: CORS off; `'*'`: any origin; else the allowed origins. */
    corsOrigins: env.CORS_ORIGINS === '*' ? ('*' as const) : list(env.CORS_ORIGINS),
    rateLimit: {
      /** Calls per client and window to each expensive endpoint; 0 = no limit. */
      limit: env.RATE_LIMIT_EXPENSIVE,
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
  };
});
