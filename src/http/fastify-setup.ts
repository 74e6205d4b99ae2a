import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { RequestLogging } from '../logging/request-logging';
import { fastifyHttpMetrics } from '../metrics/http-metrics.middleware';
import { MetricsService } from '../metrics/metrics.service';
import { securityHeaders } from '../security/http-security';
import { bodyLimitBytes } from './body-limit';
import { registerJsonOnlyBody } from './fastify-body';

/**
 * The same cross-cutting layer as the Express setup, as Fastify hooks on the raw Node request
 * and response (so pino-http and helmet run unchanged): request id, request log line, metrics
 * and security headers in the adapter's first request hook (before CORS answers a preflight, as
 * on Express), then the JSON-only body parsers.
 */
export function setUpFastify(
  nest: INestApplication,
  cors: CorsOptions | undefined,
  bodyLimit: string,
): void {
  const app = nest as NestFastifyApplication;
  const adapter = app.getHttpAdapter() as unknown as FastifyAdapter;
  const fastify = adapter.getInstance<FastifyInstance>();
  const logRequest = app.get(RequestLogging).middleware;
  const timing = fastifyHttpMetrics(app.get(MetricsService));
  const helmet = securityHeaders();
  adapter.setOnRequestHook(
    (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      const res = reply.raw;
      // the id came from the adapter's genReqId (assignRequestId)
      res.setHeader('X-Request-Id', request.id);
      logRequest(request.raw, res);
      timing.onRequest(request, res);
      helmet(request.raw, res, (error?: unknown) => done(error as Error | undefined));
    },
  );
  if (cors) {
    // Nest's CorsOptions, as on Express: @fastify/cors takes the same fields
    app.enableCors(cors as FastifyCorsOptions);
  }
  registerJsonOnlyBody(fastify, bodyLimitBytes(bodyLimit));
  // The request reached its handler: its route labels its metrics. And the request's log context
  // (its request_id on every line) is bound for the handler here, once the body is read.
  fastify.addHook('preHandler', (request, _reply, done) => {
    timing.reached(request);
    // pino-http's logger for this request (middie, if it ran, replaced `raw.log` with Fastify's)
    const logs = (request.raw as { allLogs?: Logger[] }).allLogs;
    const log = logs?.[logs.length - 1];
    if (log) {
      storage.run(new Store(log), done);
    } else {
      done();
    }
  });
}
