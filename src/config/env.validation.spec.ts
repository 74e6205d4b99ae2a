import { ConfigValidationError, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('fills every default from an empty environment', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      PORT: 8000,
      DATABASE_URL: 'sqlite:./data/app.db',
      NATS_URL: '',
      EXTERNAL_CONCURRENCY: 16,
      API_TYPE: 'mock',
      TASK_INTERVAL_SECONDS: 60,
    });
  });

  it('treats an empty value as "use the default"', () => {
    expect(validateEnv({ PORT: '', EXTERNAL_RETRIES: '' })).toMatchObject({
      PORT: 8000,
      EXTERNAL_RETRIES: 3,
    });
  });

  it('parses numbers and accepts a postgres URL', () => {
    const env = validateEnv({
      PORT: '9000',
      DATABASE_URL: 'postgres://u@h:5432/db',
      EXTERNAL_CONCURRENCY: '4',
    });
    expect(env).toMatchObject({
      PORT: 9000,
      DATABASE_URL: 'postgres://u@h:5432/db',
      EXTERNAL_CONCURRENCY: 4,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['EXTERNAL_CONCURRENCY', '0'],
    ['EXTERNAL_TIMEOUT_MS', '1.5'],
    ['API_TYPE', 'stocks'],
    ['NATS_URL', 'localhost:4222'],
    ['RATES_CRON', '* * *'],
    ['API_KEYS', 'has space'],
    ['CORS_ORIGINS', 'example.com'],
    ['RATE_LIMIT_EXPENSIVE', '-1'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
  ])('names %s in the error when it is %j', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => validateEnv({ [name]: value })).toThrow(
      new RegExp(
        `^Invalid configuration: ${name} .*\\(got "${value.replace(/[*.]/g, '\\$&')}"\\)$`,
      ),
    );
  });

  it('accepts API keys, CORS origins and rate limits in their documented forms', () => {
    expect(
      validateEnv({
        API_KEYS: 'k1, k2,k3',
        CORS_ORIGINS: 'https://a.example.com,http://localhost:3000',
        RATE_LIMIT_EXPENSIVE: '0',
      }),
    ).toMatchObject({
      API_KEYS: 'k1, k2,k3',
      RATE_LIMIT_EXPENSIVE: 0,
      RATE_LIMIT_WINDOW_SECONDS: 60,
    });
    expect(validateEnv({ CORS_ORIGINS: '*' })).toMatchObject({ CORS_ORIGINS: '*' });
  });

  it('reports every bad variable at once', () => {
    try {
      validateEnv({ PORT: 'x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect((error as ConfigValidationError).problems).toHaveLength(2);
    }
  });
});
