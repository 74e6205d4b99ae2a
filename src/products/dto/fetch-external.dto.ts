import { ApiProperty } from '@nestjs/swagger';
import { EXTERNAL_ID_PATTERN } from '../../external/product-source';
import { MAX_EXTERNAL_IDS } from '../external-ids';
import { FETCH_STATUSES, FetchStatus, FetchSummary } from '../import-outcomes';
import { ProductDto } from './product.dto';

/** Swagger: the object form of the body (a bare array of ids is accepted too). */
export class FetchExternalBodyDto {
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: EXTERNAL_ID_PATTERN.source },
      ],
    },
    minItems: 1,
    maxItems: MAX_EXTERNAL_IDS,
    description:
      'Duplicates are dropped; the ids left count against the caller’s RATE_LIMIT_EXTERNAL_IDS budget',
    example: [1, '2', 3],
  })
  external_ids!: (number | string)[];
}

class FetchExternalItemDto {
  @ApiProperty({ example: '1' })
  external_id!: string;

  @ApiProperty({ enum: FETCH_STATUSES, example: 'created' })
  status!: FetchStatus;

  @ApiProperty({ type: ProductDto, nullable: true })
  product!: ProductDto | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error!: string | null;
}

export class FetchExternalResultDto {
  @ApiProperty({ example: 3 })
  requested!: number;

  @ApiProperty({ example: 1 })
  created!: number;

  @ApiProperty({ example: 1 })
  updated!: number;

  @ApiProperty({ example: 0 })
  unchanged!: number;

  @ApiProperty({ example: 1 })
  not_found!: number;

  @ApiProperty({ example: 0 })
  failed!: number;

  @ApiProperty({ type: [FetchExternalItemDto] })
  results!: FetchExternalItemDto[];

  static from(summary: FetchSummary): FetchExternalResultDto {
    return {
      requested: summary.requested,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      not_found: summary.notFound,
      failed: summary.failed,
      results: summary.results.map((r) => ({
        external_id: r.externalId,
        status: r.status,
        product: r.product ? ProductDto.from(r.product) : null,
        error: r.error,
      })),
    };
  }
}
