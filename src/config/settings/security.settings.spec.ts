import { ConfigValidationError, validateEnv } from '../env.validation';

const problemsOf = (raw: Record<string, unknown>): string[] => {
  try {
    validateEnv(raw);
  } catch (error) {
    return (error as ConfigValidationError).problems;
  }
  return [];
};

describe('security settings: protected mode, proxies, the id budget', () => {
  it('defaults: protected, no proxy trusted, 3000 ids per window', () => {
    expect(validateEnv({})).toMatchObject({
      ALLOW_ANONYMOUS_WRITES: false,
      TRUST_PROXY: '',
      RATE_LIMIT_EXTERNAL_IDS: 3000,
    });
    expect(
      validateEnv({ ALLOW_ANONYMOUS_WRITES: '', TRUST_PROXY: '', RATE_LIMIT_EXTERNAL_IDS: '' }),
    ).toMatchObject({ ALLOW_ANONYMOUS_WRITES: false, RATE_LIMIT_EXTERNAL_IDS: 3000 });
  });

  it('reads true/false in any case, a proxy list and 0 = no id budget', () => {
    expect(
      validateEnv({
        ALLOW_ANONYMOUS_WRITES: 'TRUE',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        RATE_LIMIT_EXTERNAL_IDS: '0',
      }),
    ).toMatchObject({
      ALLOW_ANONYMOUS_WRITES: true,
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      RATE_LIMIT_EXTERNAL_IDS: 0,
    });
    expect(validateEnv({ ALLOW_ANONYMOUS_WRITES: 'false' }).ALLOW_ANONYMOUS_WRITES).toBe(false);
  });

  it.each([
    ['ALLOW_ANONYMOUS_WRITES', 'yes', /ALLOW_ANONYMOUS_WRITES must be true or false \(got "yes"\)/],
    ['ALLOW_ANONYMOUS_WRITES', '1', /ALLOW_ANONYMOUS_WRITES must be true or false/],
    [
      'TRUST_PROXY',
      'true',
      /TRUST_PROXY must be empty, a hop count .* loopback, linklocal, uniquelocal \(got "true"\)/,
    ],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY must be/],
    ['TRUST_PROXY', 'loopback,proxy.local', /TRUST_PROXY must be/],
    ['RATE_LIMIT_EXTERNAL_IDS', '-1', /RATE_LIMIT_EXTERNAL_IDS must be an integer >= 0/],
    ['RATE_LIMIT_EXTERNAL_IDS', 'lots', /RATE_LIMIT_EXTERNAL_IDS must be an integer >= 0/],
  ])('%s=%j stops startup with a clear message', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
