import fastify, { FastifyInstance } from 'fastify';
import { gzipSync } from 'node:zlib';
import { DomainError } from '../common/domain-error';
import { registerJsonOnlyBody } from './fastify-body';
import { trustFunction } from './fastify-server';

describe('registerJsonOnlyBody (Fastify)', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = fastify();
    registerJsonOnlyBody(app, 64);
    // what a refusal was: a DomainError (the app's filter words it) or Fastify's own
    app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) =>
      reply.code(error instanceof DomainError ? 499 : (error.statusCode ?? 500)).send({
        kind: error instanceof DomainError ? error.code : error.name,
        message: error.message,
      }),
    );
    app.post('/echo', (req) => ({ body: req.body ?? null }));
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string | Buffer, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/echo', payload, headers });

  it('parses JSON and +json bodies', async () => {
    const plain = await post('{"a":1}', { 'content-type': 'application/json' });
    expect(plain.json()).toEqual({ body: { a: 1 } });
    const vendor = await post('[1]', { 'content-type': 'application/merge-patch+json' });
    expect(vendor.json()).toEqual({ body: [1] });
  });

  it('takes no body as no body, whatever the type', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.json()).toEqual({ body: null });
  });

  it('refuses other types, scalars, bad JSON and other charsets', async () => {
    expect(
      (await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })).json(),
    ).toMatchObject({ message: expect.stringContaining('must be JSON') });
    expect((await post('"x"', { 'content-type': 'application/json' })).json()).toMatchObject({
      message: 'request body is not valid JSON',
    });
    expect((await post('{"a":', { 'content-type': 'application/json' })).json()).toMatchObject({
      message: 'request body is not valid JSON',
    });
    expect(
      (await post('{}', { 'content-type': 'application/json; charset=utf-16' })).json(),
    ).toMatchObject({ message: 'unsupported charset "UTF-16"' });
  });

  it('inflates gzip within the limit, and refuses what inflates past it', async () => {
    const small = await post(gzipSync('{"a":1}'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(small.json()).toEqual({ body: { a: 1 } });
    const bomb = await post(gzipSync(JSON.stringify({ a: 'x'.repeat(1000) })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(bomb.statusCode).toBe(413);
    const rot = await post('{}', {
      'content-type': 'application/json',
      'content-encoding': 'rot13',
    });
    expect(rot.json()).toMatchObject({ message: 'unsupported content encoding "rot13"' });
  });
});

describe('trustFunction', () => {
  it('is off without TRUST_PROXY, counts hops, and knows the named ranges', () => {
    expect(trustFunction(undefined)).toBeUndefined();
    const hops = trustFunction(2)!;
    expect([hops('1.2.3.4', 0), hops('1.2.3.4', 1), hops('1.2.3.4', 2)]).toEqual([
      true,
      true,
      false,
    ]);
    const ranges = trustFunction(['loopback', '10.0.0.0/8'])!;
    expect([
      ranges('127.0.0.1', 0),
      ranges('::1', 0),
      ranges('10.9.9.9', 0),
      ranges('8.8.8.8', 0),
    ]).toEqual([true, true, true, false]);
  });
});
