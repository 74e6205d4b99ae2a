import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { PaginationQueryDto, toInteger } from '../../../common/pagination.dto';
import { subscriptionProblem } from '../../client-frames';
import { MAX_PATTERNS } from '../../frames';

const AFTER_MESSAGE = 'after must be an integer >= 0';

/** A stream position in a query: a plain decimal integer >= 0. */
const AfterProperty = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 0,
      example: 41,
      description: 'The last position the caller has; the answer starts at the next one',
    }),
    IsOptional(),
    Transform(toInteger),
    Min(0, { message: AFTER_MESSAGE }),
    Max(Number.MAX_SAFE_INTEGER, { message: AFTER_MESSAGE }),
    IsInt({ message: AFTER_MESSAGE }),
  );

/** `GET /events`: a page of the stream after a position (0 by default: from the start). */
export class FeedQueryDto extends PickType(PaginationQueryDto, ['limit']) {
  @AfterProperty()
  after: number = 0;
}

/** `a,b` (or the parameter repeated) → the list; anything else is left for the validator. */
const toList = ({ value }: { value: unknown }): unknown => {
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  return parts.every((p): p is string => typeof p === 'string')
    ? parts
        .flatMap((p) => p.split(','))
        .map((p) => p.trim())
        .filter((p) => p !== '')
    : value;
};

/** The WebSocket subscribe filter's rules, so both narrow a stream alike. */
const IsEventPatternList = (): PropertyDecorator =>
  ValidateBy({
    name: 'isEventPatternList',
    validator: {
      validate: (value: unknown) => subscriptionProblem({ events: value }) === undefined,
      defaultMessage: (args) => {
        const problem = subscriptionProblem({ events: args?.value as unknown });
        return problem?.startsWith('unknown')
          ? `events: ${problem}`
          : `events must list 1 to ${MAX_PATTERNS} event names or "prefix.*" patterns, comma-separated`;
      },
    },
  });

/** `GET /events/stream`: where to resume (Last-Event-ID wins) and which events to send. */
export class StreamQueryDto {
  @AfterProperty()
  after?: number;

  @ApiPropertyOptional({
    type: String,
    example: 'item.*,rates.synced',
    description:
      'Only these events: names, `prefix.*` patterns or `*`, comma-separated (as WebSocket `subscribe`)',
  })
  @IsOptional()
  @Transform(toList)
  @IsEventPatternList()
  events?: string[];
}
