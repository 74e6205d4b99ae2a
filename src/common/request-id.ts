import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[\w.:-]{1,128}$/;

export type WithRequestId = IncomingMessage & { id?: string };

/** A sane caller-given X-Request-Id, or a new one; stored on the request for logs and errors. */
export function assignRequestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  (req as WithRequestId).id = id;
  return id;
}
