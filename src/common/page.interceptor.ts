import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { map, Observable } from 'rxjs';
import { Page } from './pagination.dto';

/** Keeps controllers free of response objects: a returned Page becomes an array plus X-Total-Count. */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof Page)) {
          return value;
        }
        if (context.getType() === 'http') {
          context
            .switchToHttp()
            .getResponse<ServerResponse>()
            .setHeader('X-Total-Count', String(value.total));
        }
        return value.items as unknown[];
      }),
    );
  }
}
