import { EnvironmentVariables, validateEnv } from './env.validation';

let validated: EnvironmentVariables | undefined;

/**
 * ConfigModule's `validate`: the one validation of the environment (`.env` under the process's
 * own variables) at startup. A bad value stops startup here; the namespaces map the result.
 */
export function validateConfig(raw: Record<string, unknown>): Record<string, unknown> {
  validated = validateEnv(raw);
  return { ...raw, ...validated };
}

/** The environment as startup validated it: what the registerAs namespaces read. */
export function validatedEnv(): EnvironmentVariables {
  if (validated === undefined) {
    throw new Error('configuration read before ConfigModule validated the environment');
  }
  return validated;
}
