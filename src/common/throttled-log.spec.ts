import { ThrottledWarning } from './throttled-log';

describe('ThrottledWarning', () => {
  it('logs the first warning, then at most one per interval with the count left out', () => {
    const lines: string[] = [];
    let now = 1_000;
    const warning = new ThrottledWarning(
      { warn: (line: string) => lines.push(line) },
      10_000,
      () => now,
    );
    warning.warn('a');
    for (let i = 0; i < 500; i++) {
      now += 10;
      warning.warn('b');
    }
    expect(lines).toEqual(['a']);
    now += 10_000;
    warning.warn('c');
    expect(lines).toEqual(['a', 'c (and 500 more since the last such line)']);
    now += 10_000;
    warning.warn('d');
    expect(lines[2]).toBe('d');
  });
});
