import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

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

/**
 * Strict input: unknown fields are errors, no implicit type coercion of bodies. Path params are
 * left to their own pipes (ParseIdPipe), which see the raw text and can say what was wrong.
 */
class StrictValidationPipe extends ValidationPipe {
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
    // JSON.parse keeps "__proto__" as an own key, which class-transformer would not report
    if (
      metadata.type === 'body' &&
      isDto &&
      Object.prototype.hasOwnProperty.call(value, '__proto__')
    ) {
      throw new BadRequestException(['property __proto__ should not exist']);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
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
