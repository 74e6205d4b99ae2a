import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { ERROR_DESCRIPTIONS } from './api-error-responses.decorator';

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;
const METHODS = ['get', 'head', 'options', ...WRITE_METHODS] as const;

function errorResponse(description: string): ResponseObject {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
  };
}

/**
 * The answers every route can give before its handler runs, documented from the same rules that
 * give them (the body parser and jsonContentTypeMiddleware take every request): writes, which carry
 * bodies, list 413 and 415; a route with no client error of its own says what the service refuses
 * of any request, so a client knows the error shape there too.
 */
export function documentRequestErrors(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) {
        continue;
      }
      if ((WRITE_METHODS as readonly string[]).includes(method)) {
        for (const status of [413, 415]) {
          operation.responses[status] ??= errorResponse(ERROR_DESCRIPTIONS[status]);
        }
      }
      if (!Object.keys(operation.responses).some((status) => status.startsWith('4'))) {
        operation.responses['4XX'] = errorResponse(
          'A request the service refuses before this route: a body that is not JSON (415), ' +
            'malformed (400) or over the size limit (413)',
        );
      }
    }
  }
  return document;
}
