import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { parseTrustProxy } from '../trust-proxy';
import { emptyToUndefined, IntSetting, Secret } from './setting-decorators';

/** `true`/`false` in any case; anything else stays a string and fails IsBoolean. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : value;
  return word === 'true' ? true : word === 'false' ? false : emptyToUndefined({ value });
};

/** Who may write and how often: API keys, protected mode, proxies, CORS, rate limits. */
export class SecuritySettings {
  /** Keys that writes (REST non-GET, NATS write patterns) must carry; empty = protected mode. */
  @Secret()
  @ValidateIf((_, value) => value !== '')
  @Matches(/^\s*[\x21-\x2b\x2d-\x7e]+(\s*,\s*[\x21-\x2b\x2d-\x7e]+)*\s*$/, {
    message: 'API_KEYS must be comma-separated keys of visible ASCII characters (no spaces)',
  })
  @IsString()
  API_KEYS = '';

  /** Without API_KEYS: `true` accepts REST writes from any address, not only from loopback. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'ALLOW_ANONYMOUS_WRITES must be true or false' })
  ALLOW_ANONYMOUS_WRITES = false;

  /** Proxies whose X-Forwarded-For names the client: empty = none, as Express's `trust proxy`. */
  @ValidateBy(
    {
      name: 'isTrustProxy',
      validator: {
        validate: (value) => typeof value === 'string' && parseTrustProxy(value) !== null,
      },
    },
    {
      message:
        'TRUST_PROXY must be empty, a hop count (1 to 100) or comma-separated addresses, CIDRs (10.0.0.0/8) and the words loopback, linklocal, uniquelocal',
    },
  )
  TRUST_PROXY = '';

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

  /** Ids per client and window that fetch_external (REST and NATS) may ask the upstream for. */
  @IntSetting('RATE_LIMIT_EXTERNAL_IDS must be an integer >= 0 (0 = off)', 0)
  RATE_LIMIT_EXTERNAL_IDS = 3000;

  @IntSetting('RATE_LIMIT_WINDOW_SECONDS must be an integer >= 1', 1)
  RATE_LIMIT_WINDOW_SECONDS = 60;
}
