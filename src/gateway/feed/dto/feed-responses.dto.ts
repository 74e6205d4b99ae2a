import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../common/error-response.dto';
import { StreamPosition } from '../../../events/store/event-store';

/** One event as every path delivers it (WebSocket, NATS, the feed, Server-Sent Events). */
export class EventEnvelopeDto {
  @ApiProperty({ format: 'uuid', example: '5b0c7f8e-2d7a-4c1e-9f51-0a8d3c2b1e77' })
  id!: string;

  @ApiProperty({
    type: 'integer',
    example: 42,
    description: 'The position in the stream: 1, 2, 3… in commit order, with no gaps',
  })
  seq!: number;

  @ApiProperty({ example: 'item.updated', description: 'The event name; see /asyncapi.json' })
  event!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { id: 7, code: 'EUR', base: 'USD', rate: 0.92, source: 'manual' },
    description: "The event's payload; each event's schema is in /asyncapi.json",
  })
  payload!: Record<string, unknown>;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  ts!: string;

  @ApiProperty({ example: 'catalog-rates-1', description: 'The instance that committed it' })
  origin!: string;
}

/** `GET /events/latest`: where the stream stands. */
export class StreamPositionDto {
  @ApiProperty({
    type: 'integer',
    example: 42,
    description: 'The last committed position (0 while none)',
  })
  seq!: number;

  @ApiProperty({
    example: '0f3c9a52-6a1e-4d8b-b3a0-2e9b7d1c5f40',
    description: 'Names the stream; a position means something only with its epoch',
  })
  epoch!: string;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'The oldest retained position (`seq + 1` while none is retained)',
  })
  earliest_seq!: number;

  static from(position: StreamPosition): StreamPositionDto {
    return { seq: position.seq, epoch: position.epoch, earliest_seq: position.earliestSeq };
  }
}

/** 410 from `GET /events`: what the caller asked for was pruned; reload over REST, then follow. */
export class EventsGoneErrorDto extends ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 410 })
  override statusCode = 410;

  @ApiProperty({ type: 'string', example: 'Gone' })
  override error = 'Gone';

  @ApiProperty({
    type: 'string',
    example: 'events after 5 are no longer retained; the earliest retained is 120',
  })
  override message = '';

  @ApiProperty({ type: 'string', example: '/events?after=5' })
  override path = '/events';

  @ApiProperty({ type: 'integer', example: 120, description: 'The oldest retained position' })
  earliest_seq!: number;
}
