import { registerAs } from '@nestjs/config';
import { ApiType, apiTypesOf } from './settings/rates.settings';
import { validatedEnv } from './validated-env';

export const ratesConfig = registerAs('rates', () => {
  const env = validatedEnv();
  return {
    /** The sources each sync reads, in API_TYPE order (validated: known names, each once). */
    apiTypes: apiTypesOf(env.API_TYPE) as ApiType[],
    fiatUrl: env.EXCHANGE_RATES_API_URL,
    cryptoUrl: env.CRYPTO_API_URL,
    cryptoSymbols: env.CRYPTO_SYMBOLS.split(','),
    ecbUrl: env.ECB_API_URL,
    intervalSeconds: env.TASK_INTERVAL_SECONDS,
    cron: env.RATES_CRON,
    /** Delay of the first scheduled sync after start. */
    firstRunDelayMs: 1000,
  };
});
