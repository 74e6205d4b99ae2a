import { ConfigValidationError, validateEnv } from '../env.validation';

describe('API_TYPE', () => {
  it.each([
    ['mock', 'mock'],
    ['ecb', 'ecb'],
    ['ecb,crypto', 'ecb,crypto'],
    ['ecb, fiat', 'ecb, fiat'],
    ['fiat,crypto,mock,ecb', 'fiat,crypto,mock,ecb'],
  ])('accepts %j', (value, kept) => {
    expect(validateEnv({ API_TYPE: value }).API_TYPE).toBe(kept);
  });

  it.each([
    [
      'stocks',
      'API_TYPE names an unknown source "stocks": each must be one of fiat, crypto, mock, ecb',
    ],
    ['ecb,stocks', 'API_TYPE names an unknown source "stocks"'],
    ['ecb,', 'API_TYPE names an unknown source ""'],
    ['ECB', 'API_TYPE names an unknown source "ECB"'],
    ['ecb,fiat,ecb', 'API_TYPE lists ecb twice'],
  ])('refuses %j, saying why', (value, reason) => {
    expect(() => validateEnv({ API_TYPE: value })).toThrow(ConfigValidationError);
    expect(() => validateEnv({ API_TYPE: value })).toThrow(`Invalid configuration: ${reason}`);
  });
});

describe('ECB_API_URL', () => {
  it('defaults to the bank’s daily file and takes another http(s) URL', () => {
    expect(validateEnv({}).ECB_API_URL).toBe(
      'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
    );
    expect(validateEnv({ ECB_API_URL: 'http://127.0.0.1:8100/x.xml' }).ECB_API_URL).toBe(
      'http://127.0.0.1:8100/x.xml',
    );
  });

  it('refuses a value that is not an http(s) URL', () => {
    expect(() => validateEnv({ ECB_API_URL: 'ftp://ecb' })).toThrow(
      'ECB_API_URL must be an http(s) URL (got "ftp://ecb")',
    );
  });
});
