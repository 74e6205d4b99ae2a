import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';

const MESSAGE = 'this endpoint takes no request body';

/** No body, or `{}`: what a client sends when it means to send nothing. */
export function isEmptyBody(body: unknown): boolean {
  return (
    body === undefined ||
    (typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 0)
  );
}

/**
 * For routes that take no input (refresh_all, tasks/run): a body is refused with 400 rather than
 * ignored, so a client that meant to send parameters learns that they do nothing. `{}` passes.
 */
export const NoBody = createParamDecorator((_data: unknown, context: ExecutionContext): void => {
  if (!isEmptyBody(context.switchToHttp().getRequest<{ body?: unknown }>().body)) {
    throw new DomainError(ErrorCode.InvalidInput, MESSAGE, { message: [MESSAGE] });
  }
});
