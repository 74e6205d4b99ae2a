import { Transform } from 'class-transformer';
import { IsIn, Matches, ValidateIf } from 'class-validator';
import { IntSetting, emptyToUndefined } from './setting-decorators';

const API_TYPES = ['fiat', 'crypto', 'mock'] as const;

/** The rate providers and the sync schedule. */
export class RatesSettings {
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
}
