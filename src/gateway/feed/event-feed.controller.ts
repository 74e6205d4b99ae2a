import { Controller, Get, Query, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiGoneResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-responses.decorator';
import { rawResponse } from '../../common/raw-response';
import { FeedQueryDto, StreamQueryDto } from './dto/feed-queries.dto';
import { EventEnvelopeDto, EventsGoneErrorDto, StreamPositionDto } from './dto/feed-responses.dto';
import { EventFeedService, FeedPage } from './event-feed.service';
import { EventStreamService } from './event-stream.service';
import { FeedPageInterceptor, STREAM_EPOCH_HEADER } from './feed-page.interceptor';
import { LastEventIdHeader, LastEventIdPipe } from './last-event-id';

const SSE_EXAMPLE =
  'id: 42\nevent: item.updated\ndata: {"id":"5b0c7f8e-2d7a-4c1e-9f51-0a8d3c2b1e77","seq":42,' +
  '"event":"item.updated","payload":{"id":7,"code":"EUR","base":"USD","rate":0.92},' +
  '"ts":"2026-11-23T10:00:00.000Z","origin":"catalog-rates-1"}\n\n: keep-alive\n\n';

@ApiTags('events')
@Controller('events')
export class EventFeedController {
  constructor(
    private readonly feed: EventFeedService,
    private readonly streams: EventStreamService,
  ) {}

  @Get()
  @UseInterceptors(FeedPageInterceptor)
  @ApiOperation({
    summary: 'The event stream after a position',
    description:
      'The retained envelopes with `seq > after`, ascending, at most `limit`; `[]` past the latest ' +
      'position. Follow it by asking again after the last `seq` received. 410 when events after ' +
      '`after` are no longer all retained: reload state over REST, then follow from `earliest_seq`.',
  })
  @ApiOkResponse({
    type: [EventEnvelopeDto],
    headers: {
      [STREAM_EPOCH_HEADER]: {
        description: 'Names the stream; positions of another epoch mean nothing here',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses(400)
  @ApiGoneResponse({
    type: EventsGoneErrorDto,
    description: 'Events after `after` were pruned (retention); `earliest_seq` is the oldest kept',
  })
  page(@Query() query: FeedQueryDto): Promise<FeedPage> {
    return this.feed.page(query.after, query.limit);
  }

  @Get('latest')
  @ApiOperation({
    summary: 'Where the event stream stands',
    description: 'The last committed position, the epoch, and the oldest retained position.',
  })
  @ApiOkResponse({ type: StreamPositionDto })
  async latest(): Promise<StreamPositionDto> {
    return StreamPositionDto.from(await this.feed.latest());
  }

  @Get('stream')
  @ApiOperation({
    summary: 'The event stream as Server-Sent Events',
    description:
      'Each event as `id: <seq>`, `event: <name>`, `data: <envelope JSON>`. With `Last-Event-ID` ' +
      '(EventSource sends it on reconnect; it wins over `after`) or `after`: the retained events ' +
      'after that position, then live ones, nothing twice and nothing skipped; with neither, live ' +
      'events only. A position older than retention (or beyond the latest) gets `event: resync` ' +
      'first, data `{"earliest_seq", "seq"}`: reload state over REST, then follow. A `: keep-alive` ' +
      'comment every 15 s.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The last `seq` the client has; the stream resumes after it',
    schema: { type: 'integer', minimum: 0, example: 41 },
  })
  @ApiOkResponse({
    description: 'An endless `text/event-stream`',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: SSE_EXAMPLE } },
  })
  @ApiErrorResponses(400)
  async stream(
    @Query() query: StreamQueryDto,
    @LastEventIdHeader(LastEventIdPipe) lastEventId: number | undefined,
    // whichever adapter's response object: the stream writes the Node response under it
    @Res() res: unknown,
  ): Promise<void> {
    await this.streams.follow(rawResponse(res), {
      lastEventId,
      after: query.after,
      patterns: query.events ?? null,
    });
  }
}
