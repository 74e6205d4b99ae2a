import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';

export const REQUIRES_API_KEY = 'security:requires-api-key';
export const RATE_LIMITED = 'security:rate-limited';

/**
 * A NATS request-reply handler that writes: with API_KEYS set, the request must carry a key in its
 * headers. (Over HTTP every non-GET route needs a key anyway; this marks the NATS side.)
 */
export const RequiresApiKey = (): MethodDecorator => SetMetadata(REQUIRES_API_KEY, true);

/**
 * An expensive HTTP route: at most RATE_LIMIT_EXPENSIVE calls per client and window, else 429;
 * `alsoWhen` names another reason the route answers 429, for its OpenAPI description.
 */
export const RateLimited = (alsoWhen?: string): MethodDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMITED, true),
    ApiResponse({
      status: 429,
      description: `Too many calls to this endpoint from this client${alsoWhen ? `, or ${alsoWhen}` : ''}; retry after Retry-After seconds`,
      type: ErrorResponseDto,
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
    }),
  );
