import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { assignRequestId, WithRequestId } from '../common/request-id';
import { RequestLogging } from './request-logging';

/** The one RequestLogging (one root logger, one stdout stream), for nestjs-pino and for the app. */
@Module({ providers: [RequestLogging], exports: [RequestLogging] })
class RequestLoggingModule {}

/**
 * Structured logs through nestjs-pino: main.ts makes its Logger the app logger, so every
 * `new Logger(context)` writes a pino line, and a line written while a request is handled
 * carries that request's `request_id` (an AsyncLocalStorage context bound per request).
 */
@Module({
  imports: [
    RequestLoggingModule,
    LoggerModule.forRootAsync({
      imports: [RequestLoggingModule],
      inject: [RequestLogging],
      useFactory: (logging: RequestLogging) => ({
        pinoHttp: { logger: logging.root },
        // no pino-http middleware: the request line is the operations layer's (src/http), and
        // the log context is bound below (Express) or in a preHandler hook (Fastify)
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  exports: [RequestLoggingModule],
})
export class LoggingModule implements NestModule {
  constructor(
    private readonly logging: RequestLogging,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** On Express, module middleware runs once the body is read: the handler then runs in it. */
  configure(consumer: MiddlewareConsumer): void {
    if (this.adapterHost.httpAdapter?.getType() === 'fastify') {
      return;
    }
    const logging = this.logging;
    consumer
      .apply((req: WithRequestId, _res: ServerResponse, next: () => void) => {
        storage.run(logging.context(req.id ?? assignRequestId(req)), next);
      })
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
