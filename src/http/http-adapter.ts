import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { networkInterfaces } from 'node:os';
import { parseTrustProxy } from '../config/trust-proxy';
import { bodyLimitBytes } from './body-limit';
import { setUpExpress } from './express-setup';
import type { HttpSetup } from './http-setup';
import { setUpFastify } from './fastify-setup';

export type HttpAdapterKind = 'express' | 'fastify';

/** What the adapter is built from (the validated environment). */
export interface HttpAdapterSettings {
  HTTP_ADAPTER: HttpAdapterKind;
  BODY_LIMIT: string;
  TRUST_PROXY: string;
}

/**
 * The HTTP adapter HTTP_ADAPTER names; the one place the choice is made. Each adapter's modules
 * are loaded only when it is chosen: the other's would cost startup time and memory for nothing
 * (Express's ~180 modules, Fastify's ~220).
 */
export async function createHttpAdapter(env: HttpAdapterSettings): Promise<AbstractHttpAdapter> {
  if (env.HTTP_ADAPTER === 'express') {
    const { PrototypedExpressAdapter } = await import('../common/express-adapter');
    return new PrototypedExpressAdapter();
  }
  const { AppFastifyAdapter } = await import('./fastify-adapter');
  return new AppFastifyAdapter(
    bodyLimitBytes(env.BODY_LIMIT),
    parseTrustProxy(env.TRUST_PROXY) ?? undefined,
  );
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
