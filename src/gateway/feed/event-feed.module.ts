import { Module } from '@nestjs/common';
import { EventFeedController } from './event-feed.controller';
import { EventFeedService } from './event-feed.service';
import { EventStreamService } from './event-stream.service';
import { EventStreamOptions } from './sse-connection';

/** The event stream over HTTP: the feed, the position, and Server-Sent Events. */
@Module({
  controllers: [EventFeedController],
  providers: [EventFeedService, EventStreamService, EventStreamOptions],
})
export class EventFeedModule {}
