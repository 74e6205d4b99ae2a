import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
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
        // no pino-http middleware: the request line is the operations layer's, and the log
        // context is bound by the HTTP setup once the body is read (src/http)
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  exports: [RequestLoggingModule],
})
export class LoggingModule {}
