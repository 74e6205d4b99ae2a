import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `message` lists one problem per field',
  401: 'Missing or wrong API key',
  404: 'No such record',
  409: 'Conflicts with an existing record',
  413: 'Request body over the size limit (BODY_LIMIT)',
  415: 'Request body is not JSON (Content-Type: application/json)',
  429: 'Rate limit reached; see Retry-After',
  502: 'The upstream could not be reached or failed',
  503: 'Upstream circuit open; see Retry-After',
  504: 'The upstream timed out',
};

/** Documents error answers with the shared error shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}
