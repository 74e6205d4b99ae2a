import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hasBody, JSON_TYPE, notJsonError } from '../common/json-content-type';

const DECOMPRESS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

const invalidJson = () => new DomainError(ErrorCode.InvalidInput, 'request body is not valid JSON');

/** The charset parameter of a Content-Type, lower-cased, if there is one. */
function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1].toLowerCase();
}

/** What Express's json() accepts: an object or an array (strict), in UTF-8. */
function parseJsonBody(req: FastifyRequest, body: string): unknown {
  const charset = charsetOf(req.headers['content-type'] ?? '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainError(
      ErrorCode.UnsupportedMediaType,
      `unsupported charset "${charset.toUpperCase()}"`,
    );
  }
  if (body === '') {
    return undefined;
  }
  const first = /\S/.exec(body)?.[0];
  if (first !== '{' && first !== '[') {
    throw invalidJson();
  }
  try {
    return JSON.parse(body);
  } catch {
    throw invalidJson();
  }
}

/**
 * A JSON-only API on Fastify, answering like the Express setup: `application/json` and `+json`
 * bodies up to BODY_LIMIT (413 beyond), gzip/deflate/br bodies inflated first (the limit applies
 * to the inflated size), any other body 415, and every refusal in the standard error shape
 * through the global filter.
 */
export function registerJsonOnlyBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    JSON_TYPE,
    { parseAs: 'string', bodyLimit },
    (
      req: FastifyRequest,
      body: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => {
      try {
        done(null, parseJsonBody(req, body.toString()));
      } catch (error) {
        done(error as Error);
      }
    },
  );
  // everything else: without a body it is nothing to parse; with one it is refused unread
  fastify.addContentTypeParser('*', (req, _payload, done) => {
    if (hasBody(req.raw)) {
      done(notJsonError());
    } else {
      done(null, undefined);
    }
  });
  fastify.addHook('preParsing', (req, _reply, payload, done) => {
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') {
      done(null, payload);
      return;
    }
    const decompress = DECOMPRESS[encoding];
    if (!decompress) {
      done(
        new DomainError(
          ErrorCode.UnsupportedMediaType,
          `unsupported content encoding "${encoding}"`,
        ),
      );
      return;
    }
    const inflated = decompress() as NodeJS.ReadWriteStream & { receivedEncodedLength: number };
    inflated.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
    payload.on('error', (error) => inflated.emit('error', error));
    payload.pipe(inflated);
    done(null, inflated as unknown as Readable & typeof payload);
  });
}
