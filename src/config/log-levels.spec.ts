import { nestLogLevels } from './log-levels';

describe('nestLogLevels', () => {
  it('maps LOG_LEVEL to the Nest levels at and above it', () => {
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(nestLogLevels('trace')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
    expect(nestLogLevels('silent')).toEqual([]);
  });
});
