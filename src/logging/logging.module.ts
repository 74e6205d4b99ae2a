import { Module, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { RequestLogging } from './request-logging';

/**
 * Structured logs through nestjs-pino: main.ts makes its Logger the app logger, so every
 * `new Logger(context)` writes a pino line, and a line written while a request is handled
 * carries that request's `request_id` (an AsyncLocalStorage context bound per request).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [RequestLogging],
      inject: [RequestLogging, HttpAdapterHost],
      useFactory: (logging: RequestLogging, adapterHost: HttpAdapterHost) => ({
        pinoHttp: { logger: logging.root },
        // the pino-http middleware is RequestLogging's; nestjs-pino only binds its req.log
        useExisting: true,
        // on Fastify a hook binds it (src/http/fastify-setup.ts): middie would bind Fastify's logger
        forRoutes:
          adapterHost.httpAdapter?.getType() === 'fastify'
            ? []
            : [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggingModule {}
