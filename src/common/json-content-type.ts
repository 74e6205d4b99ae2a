import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, ErrorCode } from './domain-error';

/** `application/json` and the `+json` types, with or without parameters. */
export const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** Whether a request announces a body (a length above zero, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export const notJsonError = (): DomainError =>
  new DomainError(
    ErrorCode.UnsupportedMediaType,
    'request body must be JSON (Content-Type: application/json)',
  );

/** A body that is not JSON would otherwise be ignored silently and reported as missing fields. */
export function jsonContentTypeMiddleware(
  req: IncomingMessage,
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (hasBody(req) && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(notJsonError());
    return;
  }
  next();
}
