import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storage } from 'nestjs-pino/storage';
import { RequestLogging } from '../logging/request-logging';
import { MetricsService } from '../metrics/metrics.service';
import { fastifyRouteLabels } from '../metrics/route-label';
import { bodyLimitBytes } from './body-limit';
import { registerJsonOnlyBody } from './fastify-body';
import { requestObserver } from './request-observer';

/**
 * The same cross-cutting layer as the Express setup, as Fastify hooks on the raw Node request
 * and response: the operations layer (request id, security headers, log line and metrics) in
 * the adapter's first request hook (before CORS answers a preflight, as on Express), then the
 * JSON-only body parsers.
 */
export function setUpFastify(
  nest: INestApplication,
  cors: CorsOptions | undefined,
  bodyLimit: string,
): void {
  const app = nest as NestFastifyApplication;
  const adapter = app.getHttpAdapter() as unknown as FastifyAdapter;
  const fastify = adapter.getInstance<FastifyInstance>();
  const logging = app.get(RequestLogging);
  const observe = requestObserver(logging, app.get(MetricsService));
  const routes = fastifyRouteLabels();
  adapter.setOnRequestHook(
    (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      // the id came from the adapter's genReqId (assignRequestId)
      observe(request.raw, reply.raw, request.id, () => routes.label(request));
      done();
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
    routes.reached(request);
    storage.run(logging.context(request.id), done);
  });
}
