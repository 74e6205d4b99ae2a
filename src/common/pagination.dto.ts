import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Query values are strings: only plain decimal integers become numbers. Anything else (" 1", "1e2",
 * "0x10", "") stays a string and fails @IsInt, where Number() would have accepted it.
 */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, example: 100 })
  @IsOptional()
  @Transform(toInteger)
  @Min(1, { message: 'limit must be an integer between 1 and 1000' })
  @Max(1000, { message: 'limit must be an integer between 1 and 1000' })
  @IsInt({ message: 'limit must be an integer between 1 and 1000' })
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0, example: 0 })
  @IsOptional()
  @Transform(toInteger)
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
