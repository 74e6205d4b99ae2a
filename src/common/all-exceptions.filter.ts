import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Observable, throwError } from 'rxjs';
import { HttpAdapterHost } from '@nestjs/core';
import { isDatabaseUnavailable } from '../database/database-errors';
import { DomainError, ErrorCode } from './domain-error';
import { ErrorResponseDto } from './error-response.dto';
import { Mapped, mapFrameworkError } from './framework-errors';
import { WithRequestId } from './request-id';

function mapDomainError(error: DomainError): Mapped {
  const base = {
    message: error.message,
    extra: error.details,
    retryAfter: error.retryAfterSeconds,
  };
  switch (error.code) {
    case ErrorCode.NotFound:
      return { status: HttpStatus.NOT_FOUND, ...base };
    case ErrorCode.Conflict:
      return { status: HttpStatus.CONFLICT, ...base };
    case ErrorCode.InvalidInput:
      return { status: HttpStatus.BAD_REQUEST, ...base };
    case ErrorCode.UnsupportedMediaType:
      return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, ...base };
    case ErrorCode.UpstreamUnavailable:
      return { status: HttpStatus.BAD_GATEWAY, ...base };
    case ErrorCode.UpstreamTimeout:
      return { status: HttpStatus.GATEWAY_TIMEOUT, ...base };
    case ErrorCode.CircuitOpen:
      return { status: HttpStatus.SERVICE_UNAVAILABLE, ...base };
    case ErrorCode.ShuttingDown:
      return { status: HttpStatus.SERVICE_UNAVAILABLE, ...base };
    case ErrorCode.Unauthorized:
      return {
        status: HttpStatus.UNAUTHORIZED,
        ...base,
        headers: { 'WWW-Authenticate': 'Bearer realm="catalog-rates"' },
      };
    case ErrorCode.RateLimited:
      return { status: HttpStatus.TOO_MANY_REQUESTS, ...base };
    case ErrorCode.NoLongerRetained:
      return { status: HttpStatus.GONE, ...base };
  }
}

/** Terminus' readiness answer: `{status, info, error, details}`, each check with its status. */
interface HealthCheckBody {
  status: string;
  error?: Record<string, unknown>;
  details: Record<string, { status: string }>;
}

const isHealthCheckBody = (body: unknown): body is HealthCheckBody =>
  typeof body === 'object' && body !== null && 'details' in body && 'status' in body;

function mapHttpException(error: HttpException): Mapped {
  const body = error.getResponse();
  if (isHealthCheckBody(body)) {
    // say which check failed, and keep every check's state for the operator
    const down = Object.keys(body.error ?? {});
    return {
      status: error.getStatus(),
      message: `not ready: ${down.map((name) => `${name} down`).join(', ') || 'a check failed'}`,
      extra: { checks: body.details },
    };
  }
  const message =
    typeof body === 'object' && body !== null && 'message' in body
      ? (body as { message: string | string[] }).message
      : error.message;
  return { status: error.getStatus(), message };
}

/** Nothing was written; the client may retry shortly (another instance may answer already). */
const DATABASE_UNAVAILABLE: Mapped = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  message: 'the database is unavailable; retry later',
  retryAfter: 1,
};

/** The one place errors become HTTP answers; unknown errors are logged and become a generic 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') {
      return this.rpcError(exception);
    }
    if (host.getType() !== 'http') {
      this.logger.error(`unhandled ${host.getType()} error: ${String(exception)}`);
      return;
    }
    const http = host.switchToHttp();
    const req = http.getRequest<WithRequestId & { originalUrl?: string }>();
    // Express's response or Fastify's reply: written through the adapter only
    const res = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;

    const { mapped, final } = this.map(exception);
    if (!mapped) {
      this.logger.error(
        `unhandled error on ${req.method} ${req.originalUrl ?? req.url} (request ${req.id}): ${describe(exception)}`,
      );
    } else if (mapped === DATABASE_UNAVAILABLE) {
      this.logger.warn(
        `database unavailable on ${req.method} ${req.originalUrl ?? req.url} (request ${req.id}): ${String(exception)}`,
      );
    }
    if (adapter.isHeadersSent(res)) {
      return;
    }
    const body: ErrorResponseDto & Record<string, unknown> = {
      statusCode: final.status,
      error: STATUS_CODES[final.status] ?? 'Error',
      message: final.message,
      path: req.originalUrl ?? req.url ?? '',
      timestamp: new Date().toISOString(),
      request_id: req.id ?? '',
      ...final.extra,
    };
    if (final.retryAfter !== undefined) {
      adapter.setHeader(res, 'Retry-After', String(final.retryAfter));
    }
    for (const [name, value] of Object.entries(final.headers ?? {})) {
      adapter.setHeader(res, name, value);
    }
    adapter.reply(res, body, final.status);
  }

  private map(exception: unknown): { mapped: Mapped | undefined; final: Mapped } {
    const mapped =
      exception instanceof DomainError
        ? mapDomainError(exception)
        : exception instanceof HttpException
          ? mapHttpException(exception)
          : isDatabaseUnavailable(exception)
            ? DATABASE_UNAVAILABLE
            : mapFrameworkError(exception);
    return { mapped, final: mapped ?? { status: 500, message: 'internal server error' } };
  }

  /** NATS request-reply: the error goes back to the sibling with statusCode and message. */
  private rpcError(exception: unknown): Observable<never> {
    const { mapped, final } = this.map(exception);
    if (!mapped) {
      this.logger.error(`unhandled error in a NATS request: ${describe(exception)}`);
    } else if (mapped === DATABASE_UNAVAILABLE) {
      this.logger.warn(`database unavailable in a NATS request: ${String(exception)}`);
    }
    return throwError(() => ({
      statusCode: final.status,
      error: STATUS_CODES[final.status] ?? 'Error',
      message: final.message,
      ...final.extra,
    }));
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
