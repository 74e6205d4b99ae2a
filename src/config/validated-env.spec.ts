import { ConfigValidationError } from './env.validation';
import { validateConfig, validatedEnv } from './validated-env';

describe('validateConfig / validatedEnv', () => {
  it('hands ConfigModule the raw values with the validated ones on top, and keeps those', () => {
    const merged = validateConfig({ PORT: '9000', OTHER: 'kept' });
    expect(merged).toMatchObject({ PORT: 9000, OTHER: 'kept', LOG_LEVEL: 'info' });
    expect(validatedEnv()).toMatchObject({ PORT: 9000, LOG_LEVEL: 'info' });
  });

  it('throws the validation error, naming the variable, and keeps the last good result', () => {
    validateConfig({ PORT: '9001' });
    expect(() => validateConfig({ PORT: 'abc' })).toThrow(ConfigValidationError);
    expect(() => validateConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration: PORT /);
    expect(validatedEnv().PORT).toBe(9001);
  });
});
