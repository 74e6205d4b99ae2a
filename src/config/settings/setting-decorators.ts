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
