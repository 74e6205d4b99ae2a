import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import { appConfig } from '../config/app.config';
import { createRootLogger, requestLogOptions } from './log-options';

/**
 * This app's pino logger and its request-logging middleware. The middleware is mounted first
 * thing in configure-app.ts, so requests refused before routing (413, malformed JSON) get
 * their line too.
 */
@Injectable()
export class RequestLogging {
  readonly root: Logger;
  readonly middleware: HttpLogger;

  constructor(@Inject(appConfig.KEY) config: ConfigType<typeof appConfig>) {
    this.root = createRootLogger(config.logLevel, config.logPretty);
    this.middleware = pinoHttp(requestLogOptions(this.root));
  }
}
