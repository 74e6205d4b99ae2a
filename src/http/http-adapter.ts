import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { PrototypedExpressAdapter } from '../common/express-adapter';
import { assignRequestId } from '../common/request-id';
import { parseTrustProxy } from '../config/trust-proxy';
import { bodyLimitBytes } from './body-limit';
import { setUpExpress } from './express-setup';
import { fastifyServerFactory, trustFunction } from './fastify-server';
import type { HttpSetup } from './http-setup';
import { setUpFastify } from './fastify-setup';

export type HttpAdapterKind = 'express' | 'fastify';

/** What the adapter is built from (the validated environment). */
export interface HttpAdapterSettings {
  HTTP_ADAPTER: HttpAdapterKind;
  BODY_LIMIT: string;
  TRUST_PROXY: string;
}


/** The HTTP adapter HTTP_ADAPTER names; the one place the choice is made. */
export function createHttpAdapter(env: HttpAdapterSettings): AbstractHttpAdapter {
  if (env.HTTP_ADAPTER === 'express') {
    return new PrototypedExpressAdapter();
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY) ?? undefined;
  return new FastifyAdapter({
    bodyLimit: bodyLimitBytes(env.BODY_LIMIT),
    // set here, on the instance: Fastify has no later `app.set('trust proxy')`
    trustProxy: trustFunction(trustProxy),
    serverFactory: fastifyServerFactory(trustProxy),
    // the request id (a sane X-Request-Id, or a new one) is Fastify's request.id too
    genReqId: (req: unknown) => assignRequestId(req as IncomingMessage),
    // as on Express: the listening socket closes at shutdown, requests in flight still finish
    return503OnClosing: false,
    forceCloseConnections: true,
    // Express's routing: `/products/` is `/products`, paths match in any case
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 1000 },
  });
}

/** Request id, logs, metrics, security headers, CORS and the JSON body, on either adapter. */
export function setUpHttp(app: INestApplication, setup: HttpSetup): void {
  if (app.getHttpAdapter().getType() === 'fastify') {
    // TRUST_PROXY went into the Fastify instance (createHttpAdapter)
    setUpFastify(app, setup.cors, setup.bodyLimit);
  } else {
    setUpExpress(app, setup);
  }
}

/**
 * The host to listen on: every interface on both adapters. Node (and so Express) binds `::`, or
 * `0.0.0.0` without IPv6, when given none; Fastify would bind localhost only.
 */
export function listenHost(app: INestApplication): string | undefined {
  if (app.getHttpAdapter().getType() !== 'fastify') {
    return undefined;
  }
  const ipv6 = Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === 'IPv6'),
  );
  return ipv6 ? '::' : '0.0.0.0';
}
