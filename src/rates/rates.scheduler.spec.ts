import { cronForInterval, cronPeriodMs } from './rates.scheduler';

describe('cronForInterval', () => {
  it.each([
    [1, '*/1 * * * * *'],
    [15, '*/15 * * * * *'],
    [60, '0 */1 * * * *'],
    [300, '0 */5 * * * *'],
  ])('expresses every %i s as "%s"', (seconds, cron) => {
    expect(cronForInterval(seconds)).toBe(cron);
  });

  it.each([7, 45, 90, 3600, 86400])(
    'has no cron expression for every %i s (an interval runs instead)',
    (seconds) => {
      expect(cronForInterval(seconds)).toBeUndefined();
    },
  );
});

describe('cronPeriodMs', () => {
  it.each([
    ['*/1 * * * * *', 1000],
    ['*/15 * * * * *', 15_000],
    ['0 */5 * * * *', 300_000],
    ['0 0 * * * *', 3_600_000],
  ])('measures "%s" as %i ms between runs', (expression, ms) => {
    expect(cronPeriodMs(expression)).toBe(ms);
  });
});
