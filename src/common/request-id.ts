import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[\w.:-]{1,128}$/;

export type WithRequestId = IncomingMessage & { id?: string };

/** Echoes a sane caller-given X-Request-Id, or makes one; stored on the request for logs and errors. */
export function requestIdMiddleware(
  req: WithRequestId,
  res: ServerResponse,
  next: () => void,
): void {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  next();
}
