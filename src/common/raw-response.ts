import type { ServerResponse } from 'node:http';

/**
 * The Node response under whatever `@Res()` gave: Express's response is one, Fastify's reply
 * holds it as `raw`. For handlers that stream (SSE) and so write the response themselves; once
 * its headers are out, neither adapter sends anything after the handler.
 */
export function rawResponse(res: unknown): ServerResponse {
  const reply = res as { raw?: ServerResponse };
  return reply.raw ?? (res as ServerResponse);
}

/**
 * Sets a header of the answer a handler returns, on either adapter: on Fastify through the reply
 * (what it sends replaces the same header set on the Node response, e.g. Content-Type).
 */
export function setResponseHeader(res: unknown, name: string, value: string): void {
  const reply = res as { raw?: ServerResponse; header?: (name: string, value: string) => unknown };
  if (reply.raw && typeof reply.header === 'function') {
    reply.header(name, value);
  } else {
    (res as ServerResponse).setHeader(name, value);
  }
}
