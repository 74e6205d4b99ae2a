import { applyDecorators, Delete, HttpCode } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ApiErrorResponses } from './api-error-responses.decorator';
import { ID_PARAM } from './entity-id';

/** `DELETE /:id`, answering 204, documented alike for every resource. */
export const DeleteById = (summary: string, description: string): MethodDecorator =>
  // in the order stacked decorators apply (the lowest first), so the document reads the same
  applyDecorators(
    ApiErrorResponses(400, 404),
    ApiNoContentResponse({ description: 'Deleted' }),
    ApiParam(ID_PARAM),
    ApiOperation({
      summary,
      description: `${description} 400 when \`id\` is not a positive integer, 404 when there is no such record.`,
    }),
    HttpCode(204),
    Delete(':id'),
  );
