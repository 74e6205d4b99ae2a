import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { setResponseHeader } from '../../common/raw-response';
import { FeedPage } from './event-feed.service';

export const STREAM_EPOCH_HEADER = 'X-Stream-Epoch';

/**
 * A returned FeedPage becomes its JSON array, built from the stored envelope strings (not parsed
 * and serialized again), with the stream's epoch in X-Stream-Epoch.
 */
@Injectable()
export class FeedPageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof FeedPage)) {
          return value;
        }
        const res = context.switchToHttp().getResponse<unknown>();
        setResponseHeader(res, STREAM_EPOCH_HEADER, value.epoch);
        setResponseHeader(res, 'Content-Type', 'application/json; charset=utf-8');
        return `[${value.envelopes.join(',')}]`;
      }),
    );
  }
}
