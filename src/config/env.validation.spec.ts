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
      HTTP_ADAPTER: 'express',
    });
  });

  it('treats an empty value as "use the default"', () => {
    expect(validateEnv({ PORT: '', EXTERNAL_RETRIES: '' })).toMatchObject({
      PORT: 8000,
      EXTERNAL_RETRIES: 3,
    });
  });

  it('accepts either HTTP adapter', () => {
    expect(validateEnv({ HTTP_ADAPTER: 'fastify' }).HTTP_ADAPTER).toBe('fastify');
    expect(validateEnv({ HTTP_ADAPTER: 'express' }).HTTP_ADAPTER).toBe('express');
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
    ['EXTERNAL_CONCURRENCY', '0'],
    ['EXTERNAL_TIMEOUT_MS', '1.5'],
    ['API_TYPE', 'stocks'],
    ['NATS_URL', 'localhost:4222'],
    ['RATES_CRON', '* * *'],
    ['CORS_ORIGINS', 'example.com'],
    ['RATE_LIMIT_EXPENSIVE', '-1'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['HTTP_ADAPTER', 'koa'],
  ])('names %s in the error when it is %j', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => validateEnv({ [name]: value })).toThrow(
      new RegExp(
        `^Invalid configuration: ${name} .*\\(got "${value.replace(/[*.]/g, '\\$&')}"\\)$`,
      ),
    );
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'mysql://admin:hunter2@db/x' }, /hunter2|mysql/],
    ['API_KEYS', { API_KEYS: 'k1,has space' }, /has space|k1/],
    ['NATS_PASSWORD', { NATS_PASSWORD: 'pw-x' }, /pw-x/],
    ['NATS_TOKEN', { NATS_TOKEN: 'tok-z', NATS_USER: 'app', NATS_PASSWORD: 'pw-y' }, /tok-z|pw-y/],
  ])('names %s but never shows its value', (name, env, secret) => {
    expect(() => validateEnv(env)).toThrow(
      new RegExp(`${name} .*\\(the value is a secret and is not shown\\)`),
    );
    expect(() => validateEnv(env)).not.toThrow(secret);
  });

  it('shows a URL setting without its user info', () => {
    expect(() => validateEnv({ NATS_URL: 'nats://app:pw@host:4222 x' })).toThrow(
      /NATS_URL .*\(got "nats:\/\/host:4222 x"\)$/,
    );
  });

  it.each([
    [{ NATS_USER: 'app' }, 'NATS_USER needs NATS_PASSWORD'],
    [{ NATS_TLS_CERT_FILE: __filename }, 'NATS_TLS_CERT_FILE needs NATS_TLS_KEY_FILE'],
    [{ NATS_TLS_KEY_FILE: __filename }, 'NATS_TLS_KEY_FILE needs NATS_TLS_CERT_FILE'],
    [
      { NATS_CREDS_FILE: __filename, NATS_TOKEN: 't' },
      'NATS_CREDS_FILE is an auth method of its own',
    ],
    [
      { NATS_TLS_CA_FILE: '/nonexistent/ca.pem' },
      'NATS_TLS_CA_FILE must name a file this process can read',
    ],
    [{ NATS_CREDS_FILE: __dirname }, 'NATS_CREDS_FILE must name a file this process can read'],
  ])('refuses NATS credentials that cannot work: %j', (env, message) => {
    expect(() => validateEnv(env)).toThrow(message);
  });

  it('accepts each NATS auth method alone, and TLS files that exist', () => {
    expect(validateEnv({ NATS_USER: 'app', NATS_PASSWORD: 'pw' })).toMatchObject({
      NATS_USER: 'app',
    });
    expect(validateEnv({ NATS_TOKEN: 't' })).toMatchObject({ NATS_TOKEN: 't' });
    expect(
      validateEnv({
        NATS_CREDS_FILE: __filename,
        NATS_TLS_CA_FILE: __filename,
        NATS_TLS_CERT_FILE: __filename,
        NATS_TLS_KEY_FILE: __filename,
      }),
    ).toMatchObject({ NATS_CREDS_FILE: __filename });
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
