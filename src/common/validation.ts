import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth';
import { ValidatedQueries } from './validated-queries';
import { keepValidationMetadata } from './validation-metadata';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    // one problem per field: stopAtFirstError keeps only the first failed constraint
    const own = Object.values(error.constraints ?? {}).map((text) =>
      prefix ? `${prefix}${text}` : text,
    );
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

const PRIMITIVES: unknown[] = [String, Number, Boolean, Array, Object];
/** Keys JSON.parse and the query parser keep as own keys, which class-transformer would drop silently. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Strict input: unknown fields are errors, no implicit type coercion of bodies. Path params are
 * left to their own pipes (ParseIdPipe), which see the raw text and can say what was wrong. A
 * query seen before is not validated again (ValidatedQueries).
 */
class StrictValidationPipe extends ValidationPipe {
  private readonly queries = new ValidatedQueries();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') {
      return value;
    }
    const isDto = metadata.metatype !== undefined && !PRIMITIVES.includes(metadata.metatype);
    if (
      metadata.type === 'body' &&
      isDto &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new BadRequestException(['request body must be a JSON object']);
    }
    // bodies and NATS payloads ('body' too) before class-transformer, whose recursion a deep one exhausts
    if (metadata.type === 'body' && isDto && nestedDeeperThan(value)) {
      throw new BadRequestException([
        `request body must not nest deeper than ${MAX_JSON_DEPTH} levels`,
      ]);
    }
    // unknown fields are refused, these too (class-transformer drops them without a word)
    if ((metadata.type === 'body' || metadata.type === 'query') && isDto) {
      const found = PROTOTYPE_KEYS.filter(
        (key) =>
          typeof value === 'object' &&
          value !== null &&
          Object.prototype.hasOwnProperty.call(value, key),
      );
      if (found.length > 0) {
        throw new BadRequestException(found.map((key) => `property ${key} should not exist`));
      }
    }
    const key = metadata.type === 'query' && isDto ? this.queries.keyOf(value) : undefined;
    if (key === undefined) {
      return super.transform(value, metadata);
    }
    const known = this.queries.get(metadata.metatype, key);
    if (known) {
      return known;
    }
    const validated: unknown = await super.transform(value, metadata);
    this.queries.set(metadata.metatype, key, validated);
    return validated;
  }
}

export function createValidationPipe(): ValidationPipe {
  keepValidationMetadata();
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
  });
}
