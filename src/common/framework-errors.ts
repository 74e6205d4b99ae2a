/** An error as the filter answers it. */
export interface Mapped {
  status: number;
  message: string | string[];
  extra?: Record<string, unknown>;
  retryAfter?: number;
  /** Extra response headers (HTTP only). */
  headers?: Record<string, string>;
}

interface FrameworkError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
  expose?: unknown;
  message?: unknown;
}

const isClientStatus = (status: unknown): status is number =>
  typeof status === 'number' && status >= 400 && status <= 499;

/** body-parser and other http-errors raised before Nest's pipeline on Express (413, bad JSON). */
function mapExpressError({ status, type, expose, message }: FrameworkError): Mapped | undefined {
  if (!isClientStatus(status) || expose !== true) {
    return undefined;
  }
  switch (type) {
    case 'entity.parse.failed':
      return { status, message: 'request body is not valid JSON' };
    case 'entity.too.large':
      return { status, message: 'request body is larger than the limit' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, message: String(message) };
    default:
      return { status, message: typeof message === 'string' ? message : 'bad request' };
  }
}

/** Fastify's own 4xx errors (FST_ERR_*, and zlib's while inflating a body), before routing. */
function mapFastifyError({ statusCode, code, message }: FrameworkError): Mapped | undefined {
  if (!isClientStatus(statusCode) || typeof code !== 'string') {
    return undefined;
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, message: 'request body is larger than the limit' };
  }
  if (code.startsWith('Z_')) {
    return { status: 400, message: 'request body could not be decompressed' };
  }
  if (code.startsWith('FST_')) {
    return { status: statusCode, message: typeof message === 'string' ? message : 'bad request' };
  }
  return undefined;
}

/** What the HTTP framework raised itself, in the product's words; undefined for anything else. */
export function mapFrameworkError(error: unknown): Mapped | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  return mapExpressError(error) ?? mapFastifyError(error);
}
