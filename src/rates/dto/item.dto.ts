import { ApiProperty } from '@nestjs/swagger';
import { Item, RATE_SOURCES, RateSource } from '../entities/item.entity';
import { RateHistory } from '../entities/rate-history.entity';
import type { HistoryBucket } from '../items.repository';

export class ItemDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'EUR' })
  code!: string;

  @ApiProperty({ example: 'USD' })
  base!: string;

  @ApiProperty({ example: 0.92 })
  rate!: number;

  @ApiProperty({ enum: RATE_SOURCES, example: 'fiat' })
  source!: RateSource;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  updated_at!: string;

  static from(item: Item): ItemDto {
    return {
      id: item.id,
      code: item.code,
      base: item.base,
      rate: item.rate,
      source: item.source,
      created_at: item.createdAt.toISOString(),
      updated_at: item.updatedAt.toISOString(),
    };
  }
}

export class HistoryPointDto {
  @ApiProperty({ example: 0.92 })
  rate!: number;

  @ApiProperty({ enum: RATE_SOURCES, example: 'fiat' })
  source!: RateSource;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  recorded_at!: string;

  static from(point: RateHistory): HistoryPointDto {
    return { rate: point.rate, source: point.source, recorded_at: point.recordedAt.toISOString() };
  }
}

/** One OHLC bucket: the points recorded in [start, start + interval). */
export class HistoryBucketDto {
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', description: 'UTC start of the bucket' })
  start!: string;

  @ApiProperty({ example: 0.921, description: 'The first point, by (recorded_at, id)' })
  open!: number;

  @ApiProperty({ example: 0.925 })
  high!: number;

  @ApiProperty({ example: 0.918 })
  low!: number;

  @ApiProperty({ example: 0.92, description: 'The last point, by (recorded_at, id)' })
  close!: number;

  @ApiProperty({ example: 12, description: 'How many points the bucket holds' })
  points!: number;

  static from(bucket: HistoryBucket): HistoryBucketDto {
    return { ...bucket, start: bucket.start.toISOString() };
  }
}
