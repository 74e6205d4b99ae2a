import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RATE_SOURCES } from '../entities/item.entity';
import { ItemDto } from './item.dto';

/** The payload of `rates.synced`: the job that synced and the items whose rate it changed. */
export class RatesSyncedDto {
  @ApiProperty({ example: '3f1c2a4e-8b7d-4c1e-9a0b-2d3e4f5a6b7c' })
  job_id!: string;

  @ApiProperty({
    enum: RATE_SOURCES.filter((s) => s !== 'manual'),
    example: 'fiat',
    description:
      'The source whose rates these are: a sync of several sources raises one per source',
  })
  source!: string;

  @ApiProperty({ type: [ItemDto], description: 'The items created or changed by this sync' })
  changed!: ItemDto[];

  @ApiPropertyOptional({
    example: 1,
    description: 'Which part this is, when a sync is told in parts',
  })
  part?: number;

  @ApiPropertyOptional({ example: 3, description: 'How many parts the sync is told in' })
  parts?: number;
}
