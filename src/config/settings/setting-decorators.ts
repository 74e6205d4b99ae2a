import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** An empty value in `.env` means "use the default", never "zero". */
export const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;

/** Env values are strings: turn digits into numbers, leave anything else to fail validation. */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim())
    ? Number(value)
    : emptyToUndefined({ value });

/** An integer setting from `min` (to `max`), with one message for every way it can be wrong. */
export function IntSetting(message: string, min: number, max?: number): PropertyDecorator {
  const options = { message };
  const range = max === undefined ? [Min(min, options)] : [Min(min, options), Max(max, options)];
  return applyDecorators(Transform(toNumber), ...range, IsInt(options));
}

/** Per settings class, the settings whose values no error message or log line may show. */
const SECRETS = new WeakMap<object, Set<string>>();

/** Marks a setting as a secret: a config error names it but never shows its value. */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    const names = SECRETS.get(target.constructor) ?? new Set<string>();
    names.add(String(property));
    SECRETS.set(target.constructor, names);
  };
}

/** Whether `property` of this settings object was marked with `@Secret()`. */
export function isSecret(settings: object, property: string): boolean {
  return SECRETS.get(settings.constructor)?.has(property) ?? false;
}
