import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { parseLastEventId } from './sse-frames';

/** The raw `Last-Event-ID` request header (EventSource sends it when it reconnects). */
export const LastEventIdHeader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | string[] | undefined =>
    context.switchToHttp().getRequest<IncomingMessage>().headers['last-event-id'],
);

/** The header as a position; undefined when not sent; 400 when not an integer >= 0. */
@Injectable()
export class LastEventIdPipe implements PipeTransform<
  string | string[] | undefined,
  number | undefined
> {
  transform(value: string | string[] | undefined): number | undefined {
    const parsed = parseLastEventId(value);
    if (parsed === null) {
      throw new DomainError(ErrorCode.InvalidInput, 'Last-Event-ID must be an integer >= 0');
    }
    return parsed;
  }
}
