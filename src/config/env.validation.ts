import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { redactUrl } from './redact-url';
import { DatabaseSettings } from './settings/database.settings';
import { EventsSettings } from './settings/events.settings';
import { ExternalSettings } from './settings/external.settings';
import { NatsSettings } from './settings/nats.settings';
import { RatesSettings } from './settings/rates.settings';
import { RetentionSettings } from './settings/retention.settings';
import { SecuritySettings } from './settings/security.settings';
import { ServerSettings } from './settings/server.settings';
import { isSecret } from './settings/setting-decorators';

/** Every area's settings, each a class with its defaults and rules (src/config/settings/). */
const SETTINGS = [
  ServerSettings,
  DatabaseSettings,
  NatsSettings,
  ExternalSettings,
  RatesSettings,
  SecuritySettings,
  EventsSettings,
  RetentionSettings,
] as const;

type Intersect<T> = (T extends unknown ? (x: T) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** Every setting of the service, with its default (ConfigModule and ormconfig.ts pass it in). */
export type EnvironmentVariables = Intersect<InstanceType<(typeof SETTINGS)[number]>>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(error: ValidationError, raw: Record<string, unknown>): string {
  const constraints = Object.values(error.constraints ?? {});
  const problem = constraints[0] ?? `${error.property} is invalid`;
  if (error.target && isSecret(error.target, error.property)) {
    return `${problem} (the value is a secret and is not shown)`;
  }
  // show what the operator wrote, not what the transform made of it; a URL without its user info
  const value: unknown = raw[error.property] ?? error.value;
  return `${problem} (got ${JSON.stringify(typeof value === 'string' ? redactUrl(value) : value)})`;
}

function validateArea<T extends object>(
  Settings: new () => T,
  raw: Record<string, unknown>,
  problems: string[],
): T {
  const defaults = new Settings();
  const known = Object.keys(defaults) as (keyof T & string)[];
  const picked = Object.fromEntries(
    known.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]),
  );
  const area = plainToInstance(Settings, picked, { exposeDefaultValues: true });
  // defaults survive a Transform that mapped '' to undefined
  for (const key of known) {
    if (area[key] === undefined) {
      area[key] = defaults[key];
    }
  }
  problems.push(
    ...validateSync(area, { skipMissingProperties: false }).map((e) => describe(e, raw)),
  );
  return area;
}

/** Validates and types the environment; throws one error naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const problems: string[] = [];
  const env = Object.assign(
    {},
    ...SETTINGS.map((Settings) => validateArea<object>(Settings, raw, problems)),
  ) as EnvironmentVariables;
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return env;
}
