import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';

const MESSAGE = 'this endpoint takes no request body';

/**
 * For routes that take no input (refresh_all, tasks/run): a body is refused with 400 rather than
 * ignored, so a client that meant to send parameters learns that they do nothing. `{}` passes.
 */
export const NoBody = createParamDecorator((_data: unknown, context: ExecutionContext): void => {
  const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
  const empty =
    body === undefined ||
    (typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 0);
  if (!empty) {
    throw new DomainError(ErrorCode.InvalidInput, MESSAGE, { message: [MESSAGE] });
  }
});
