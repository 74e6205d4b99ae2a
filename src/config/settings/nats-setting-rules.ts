import { accessSync, constants, statSync } from 'node:fs';
import { ValidateBy, ValidationArguments } from 'class-validator';

function readableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path setting: empty, or a file this process can read (checked once, at startup). */
export function ReadableFile(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'readableFile',
    validator: {
      validate: (value: unknown) =>
        value === '' || (typeof value === 'string' && readableFile(value)),
      defaultMessage: () => `${name} must name a file this process can read`,
    },
  });
}

/** A setting that only makes sense beside (or without) others: set only when `allowed` holds. */
export function MustBeEmptyUnless(
  allowed: (settings: Record<string, string>) => boolean,
  message: string,
): PropertyDecorator {
  return ValidateBy({
    name: 'mustBeEmptyUnless',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value === '' || allowed(args?.object as Record<string, string>),
      defaultMessage: () => message,
    },
  });
}
