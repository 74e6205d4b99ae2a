import { HttpException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { mapFrameworkError } from '../common/framework-errors';
import { assignRequestId } from '../common/request-id';
import { fastifyServerFactory, trustFunction } from './fastify-server';
import type { TrustProxy } from './http-setup';

type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;
type RequestHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
) => void;

/**
 * Nest's Fastify adapter, keeping the app's request hook (fastify-setup.ts) for the errors Fastify
 * answers before any hook runs (a URL that does not decode): those get the request id, log line,
 * metrics and headers too, and go to Nest's error handler (the global filter) for the standard
 * error shape.
 */
export class AppFastifyAdapter extends FastifyAdapter {
  private requestHook?: RequestHook;
  private errorHandler?: ErrorHandler;

  constructor(bodyLimit: number, trustProxy: TrustProxy) {
    super({
      bodyLimit,
      // the request id (a sane X-Request-Id, or a new one) is Fastify's request.id too
      genReqId: (req: unknown) => assignRequestId(req as IncomingMessage),
      // set here, on the instance: Fastify has no later `app.set('trust proxy')`
      trustProxy: trustFunction(trustProxy),
      serverFactory: fastifyServerFactory(trustProxy),
      // as on Express: the listening socket closes at shutdown, requests in flight still finish
      return503OnClosing: false,
      forceCloseConnections: true,
      // Express's routing: `/products/` is `/products`, paths match in any case
      routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 1000 },
      frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
        // Fastify's route-less context here would use its default handler, not Nest's
        const send = () =>
          this.errorHandler
            ? void this.errorHandler(error, request, reply)
            : void reply.send(error);
        if (this.requestHook) {
          this.requestHook(request, reply, send);
        } else {
          send();
        }
      },
    });
  }

  override setErrorHandler(handler: ErrorHandler): ReturnType<FastifyAdapter['setErrorHandler']> {
    // Fastify's own errors in the product's words, before Nest turns them into an HttpException
    // with Fastify's message
    const reworded: ErrorHandler = (error, request, reply) => {
      const mapped = mapFrameworkError(error);
      return handler(
        mapped ? new HttpException({ message: mapped.message }, mapped.status) : error,
        request,
        reply,
      );
    };
    this.errorHandler = reworded;
    return super.setErrorHandler(reworded);
  }

  override setOnRequestHook(hook: RequestHook): void {
    this.requestHook = hook;
    super.setOnRequestHook(hook);
  }
}
