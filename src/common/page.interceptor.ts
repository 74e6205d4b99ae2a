import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { setResponseHeader } from './raw-response';
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
          const res = context.switchToHttp().getResponse<unknown>();
          setResponseHeader(res, 'X-Total-Count', String(value.total));
        }
        return value.items as unknown[];
      }),
    );
  }
}
