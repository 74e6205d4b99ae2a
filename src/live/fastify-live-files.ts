import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { noCache, PUBLIC_DIR, UPLOT_DIR } from './live-files';

/** JavaScript as Express's static files name it (RFC 9239), not send's `application/javascript`. */
function scriptType(reply: FastifyReply, path: string): void {
  if (path.endsWith('.js')) {
    reply.header('content-type', 'text/javascript; charset=utf-8');
  }
}

/** The live page's files on Fastify (@fastify/static), answering as the Express setup does. */
export function registerFastifyLiveFiles(fastify: FastifyInstance): void {
  // a file not found goes on to the app's 404 (reply.callNotFound), in the error shape
  void fastify.register(fastifyStatic, {
    root: UPLOT_DIR,
    prefix: '/live/vendor/',
    index: false,
    redirect: false,
    maxAge: '1d',
    setHeaders: scriptType,
    decorateReply: false,
  });
  void fastify.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/live/',
    index: false,
    redirect: false,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      scriptType(reply, path);
      noCache(reply.raw);
    },
    decorateReply: false,
  });
  // `/live` and `/live/` (one route: trailing slashes are ignored, as on Express)
  fastify.get('/live', (_request, reply) => {
    noCache(reply.raw);
    return reply
      .type('text/html; charset=utf-8')
      .send(createReadStream(join(PUBLIC_DIR, 'index.html')));
  });
}
