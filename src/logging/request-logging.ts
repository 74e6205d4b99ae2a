import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { ServerResponse } from 'node:http';
import type { Store } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { appConfig } from '../config/app.config';
import { createLoggers, requestLine, RequestLogRequest } from './log-options';

/**
 * A request's log context (nestjs-pino's AsyncLocalStorage store): lines logged while the request
 * is handled carry its `request_id`. The child logger that binds it is made on the first such
 * line, so a request that logs nothing but its last line never pays for one.
 */
class RequestLogStore implements Store {
  readonly responseLogger = undefined;
  private child: Logger | undefined;

  constructor(
    private readonly root: Logger,
    private readonly requestId: string,
  ) {}

  get logger(): Logger {
    this.child ??= this.root.child({ request_id: this.requestId });
    return this.child;
  }

  // nestjs-pino's PinoLogger.assign replaces the store's logger with a child of it
  set logger(logger: Logger) {
    this.child = logger;
  }
}

/** This app's pino logger, each request's log context and its one closing line. */
@Injectable()
export class RequestLogging {
  readonly root: Logger;
  private readonly requests: Logger;

  constructor(@Inject(appConfig.KEY) config: ConfigType<typeof appConfig>) {
    ({ root: this.root, requests: this.requests } = createLoggers(
      config.logLevel,
      config.logPretty,
    ));
  }

  /** The store to run the request's handler in (`storage.run(store, handler)`). */
  context(requestId: string): Store {
    return new RequestLogStore(this.root, requestId);
  }

  /**
   * The one line per request, written when its response closed: what an operator greps for —
   * request_id, method, url, status, duration_ms, client, outcome; never headers, so keys and
   * cookies stay out. A 5xx or an answer the client never got is a warning. Returns the status
   * it logged (499 for an answer the client never got).
   */
  completed(req: RequestLogRequest, res: ServerResponse, durationMs: number): number {
    const line = requestLine(req, res, durationMs);
    if (line.outcome === 'ok' || line.outcome === 'client_error') {
      this.requests.info(line, 'request completed');
    } else {
      this.requests.warn(line, 'request completed');
    }
    return line.status;
  }
}
