import { IsString, Matches, ValidateIf } from 'class-validator';
import { IntSetting, Secret } from './setting-decorators';

/** Who may write and how often: API keys, CORS, rate limits. */
export class SecuritySettings {
  /** Keys that writes (REST non-GET, NATS write patterns) must carry; empty = no key needed. */
  @Secret()
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
}
