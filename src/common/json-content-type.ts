import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, ErrorCode } from './domain-error';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A body that is not JSON would otherwise be ignored silently and reported as missing fields. */
export function jsonContentTypeMiddleware(
  req: IncomingMessage,
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (hasBody(req) && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(
      new DomainError(
        ErrorCode.UnsupportedMediaType,
        'request body must be JSON (Content-Type: application/json)',
      ),
    );
    return;
  }
  next();
}
