import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PaginationQueryDto, toInteger } from '../../common/pagination.dto';
import { RATE_SOURCES, RateSource } from '../entities/item.entity';
import { CURRENCY_CODE } from '../providers/rate-provider';

export class ListItemsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(CURRENCY_CODE, { message: 'base must be 2 to 10 upper-case letters or digits' })
  base?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(CURRENCY_CODE, { message: 'code must be 2 to 10 upper-case letters or digits' })
  code?: string;

  @ApiPropertyOptional({ enum: RATE_SOURCES })
  @IsOptional()
  @IsIn(RATE_SOURCES, { message: `source must be one of ${RATE_SOURCES.join(', ')}` })
  source?: RateSource;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Only an ISO-8601 date or date-time becomes a Date; "0" or "yesterday" stay strings and fail. */
export const toIsoDate = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value))
    ? new Date(value)
    : value;

/** OHLC bucket widths, in seconds: each divides a day, so buckets start at UTC boundaries. */
export const HISTORY_INTERVALS = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '1d': 86400,
} as const;
export type HistoryInterval = keyof typeof HISTORY_INTERVALS;
const INTERVAL_NAMES = Object.keys(HISTORY_INTERVALS);

export class HistoryQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'How many points, or with `interval` how many buckets',
  })
  @IsOptional()
  @Transform(toInteger)
  @Max(1000, { message: 'limit must be an integer between 1 and 1000' })
  @Min(1, { message: 'limit must be an integer between 1 and 1000' })
  @IsInt({ message: 'limit must be an integer between 1 and 1000' })
  limit: number = 100;

  @ApiPropertyOptional({
    description: 'Only points recorded at or after this ISO-8601 time',
    example: '2026-11-23T00:00:00Z',
  })
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'since must be an ISO-8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({
    description: 'Only points recorded at or before this ISO-8601 time',
    example: '2026-11-30T23:59:59Z',
  })
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'until must be an ISO-8601 date-time' })
  until?: Date;

  @ApiPropertyOptional({
    enum: INTERVAL_NAMES,
    description: 'OHLC buckets of this width (UTC boundaries) instead of the raw points',
    example: '1h',
  })
  @IsOptional()
  @IsIn(INTERVAL_NAMES, { message: `interval must be one of ${INTERVAL_NAMES.join(', ')}` })
  interval?: HistoryInterval;
}
