import { registerAs } from '@nestjs/config';
import { parseTrustProxy } from './trust-proxy';
import { validatedEnv } from './validated-env';

export const securityConfig = registerAs('security', () => {
  const env = validatedEnv();
  const list = (value: string) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  return {
    /** Empty: protected mode (writes from loopback only, unless allowAnonymousWrites). */
    apiKeys: list(env.API_KEYS),
    /** Without keys: writes from any address, not only loopback. */
    allowAnonymousWrites: env.ALLOW_ANONYMOUS_WRITES,
    /** Express's `trust proxy` value; undefined = X-Forwarded-For is ignored. Validated already. */
    trustProxy: parseTrustProxy(env.TRUST_PROXY) ?? undefined,
    /** `[]`: CORS off; `'*'`: any origin; else the allowed origins. */
    corsOrigins: env.CORS_ORIGINS === '*' ? ('*' as const) : list(env.CORS_ORIGINS),
    rateLimit: {
      /** Calls per client and window to each expensive endpoint; 0 = no limit. */
      limit: env.RATE_LIMIT_EXPENSIVE,
      /** Ids per client and window fetch_external may ask for; 0 = no limit. */
      externalIds: env.RATE_LIMIT_EXTERNAL_IDS,
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
  };
});
