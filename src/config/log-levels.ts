import { LogLevel } from '@nestjs/common';
import { EnvironmentVariables } from './env.validation';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const NEST_LEVEL: Record<EnvironmentVariables['LOG_LEVEL'], LogLevel | undefined> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'log',
  debug: 'debug',
  trace: 'verbose',
  silent: undefined,
};

/** The Nest log levels at and above LOG_LEVEL (`info` = Nest's `log`). */
export function nestLogLevels(level: EnvironmentVariables['LOG_LEVEL']): LogLevel[] {
  const nest = NEST_LEVEL[level];
  return nest === undefined ? [] : ORDER.slice(0, ORDER.indexOf(nest) + 1);
}
