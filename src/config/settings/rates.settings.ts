import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidateIf } from 'class-validator';
import { IntSetting, emptyToUndefined } from './setting-decorators';

export const API_TYPES = ['fiat', 'crypto', 'mock', 'ecb'] as const;
export type ApiType = (typeof API_TYPES)[number];

/** API_TYPE's names, as written: `ecb, crypto` reads like `ecb,crypto`. */
export const apiTypesOf = (value: string): string[] => value.split(',').map((t) => t.trim());

/** What is wrong with an API_TYPE value, or undefined when every name is known and listed once. */
function apiTypeProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return 'API_TYPE must be a comma-separated list of rate sources';
  }
  const names = apiTypesOf(value);
  const unknown = names.find((name) => !(API_TYPES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return `API_TYPE names an unknown source ${JSON.stringify(unknown)}: each must be one of ${API_TYPES.join(', ')}`;
  }
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  return twice === undefined ? undefined : `API_TYPE lists ${twice} twice`;
}

/** The rate providers and the sync schedule. */
export class RatesSettings {
  /** One source, or several fetched together in each sync (`ecb,crypto`). */
  @Transform(emptyToUndefined)
  @ValidateBy({
    name: 'apiTypes',
    validator: {
      validate: (value) => apiTypeProblem(value) === undefined,
      defaultMessage: (args) => apiTypeProblem(args?.value) ?? 'API_TYPE is invalid',
    },
  })
  API_TYPE = 'mock';

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

  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'ECB_API_URL must be an http(s) URL' })
  ECB_API_URL = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';

  @IntSetting('TASK_INTERVAL_SECONDS must be an integer >= 0 (0 = off)', 0)
  TASK_INTERVAL_SECONDS = 60;

  @ValidateIf((_, value) => value !== '')
  @Matches(/^\S+( \S+){5}$/, { message: 'RATES_CRON must be a six-field cron expression' })
  RATES_CRON = '';
}
