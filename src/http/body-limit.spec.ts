import { bodyLimitBytes } from './body-limit';

describe('bodyLimitBytes', () => {
  it.each([
    ['1mb', 1024 * 1024],
    ['512kb', 512 * 1024],
    ['100b', 100],
    ['2MB', 2 * 1024 * 1024],
  ])('reads %s as body-parser does (%d bytes)', (limit, bytes) => {
    expect(bodyLimitBytes(limit)).toBe(bytes);
  });

  it('refuses what the setting would not have validated', () => {
    expect(() => bodyLimitBytes('1gb')).toThrow(/BODY_LIMIT/);
  });
});
