import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

export const ratesConfig = registerAs('rates', () => {
  const env = validatedEnv();
  return {
    apiType: env.API_TYPE,
    fiatUrl: env.EXCHANGE_RATES_API_URL,
    cryptoUrl: env.CRYPTO_API_URL,
    cryptoSymbols: env.CRYPTO_SYMBOLS.split(','),
    intervalSeconds: env.TASK_INTERVAL_SECONDS,
    cron: env.RATES_CRON,
    /** Delay of the first scheduled sync after start. */
    firstRunDelayMs: 1000,
  };
});
