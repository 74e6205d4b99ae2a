import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, example: 100 })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'limit must be an integer between 1 and 1000' })
  @Max(1000, { message: 'limit must be an integer between 1 and 1000' })
  @IsInt({ message: 'limit must be an integer between 1 and 1000' })
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @Min(0, { message: 'offset must be an integer >= 0' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'offset must be an integer >= 0' })
  @IsInt({ message: 'offset must be an integer >= 0' })
  offset: number = 0;
}

/** One page of a list; the interceptor sends `items` as the body and `total` as X-Total-Count. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
  ) {}

  map<U>(fn: (item: T) => U): Page<U> {
    return new Page(this.items.map(fn), this.total);
  }
}
