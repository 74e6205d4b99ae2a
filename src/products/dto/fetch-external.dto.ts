import { ApiProperty } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { EXTERNAL_ID_PATTERN } from '../../external/product-source';
import type { FetchSummary } from '../product-import.service';
import { ProductDto } from './product.dto';

export const MAX_EXTERNAL_IDS = 1000;

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
    example: [1, '2', 3],
  })
  external_ids!: (number | string)[];
}

/**
 * The ids to fetch, from `{"external_ids": [...]}`, a bare array, or repeated `?external_id=`
 * query parameters; each a positive integer or a safe string, so an id can never alter the
 * upstream URL. Duplicates are dropped, first occurrence kept.
 */
export function parseExternalIds(body: unknown, query: unknown): string[] {
  const hasBody =
    body !== undefined &&
    !(
      typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 0
    );
  let raw: unknown;
  if (Array.isArray(body)) {
    raw = body;
  } else if (hasBody) {
    if (typeof body !== 'object' || body === null) {
      throw invalid(['body must be {"external_ids": [...]} or an array of ids']);
    }
    const unknown = Object.keys(body).filter((key) => key !== 'external_ids');
    if (unknown.length > 0) {
      throw invalid(unknown.map((key) => `property ${key} should not exist`));
    }
    raw = (body as { external_ids?: unknown }).external_ids;
    if (!Array.isArray(raw)) {
      throw invalid(['external_ids must be an array']);
    }
  } else if (query !== undefined) {
    raw = Array.isArray(query) ? query : [query];
  } else {
    throw invalid([
      'give the ids as {"external_ids": [...]}, a JSON array, or ?external_id=1&external_id=2',
    ]);
  }
  const ids = raw as unknown[];
  if (ids.length < 1 || ids.length > MAX_EXTERNAL_IDS) {
    throw invalid([`external_ids must hold 1 to ${MAX_EXTERNAL_IDS} ids (got ${ids.length})`]);
  }
  const problems: string[] = [];
  const parsed = ids.map((id, index) => {
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) {
      return String(id);
    }
    if (typeof id === 'string' && EXTERNAL_ID_PATTERN.test(id)) {
      return id;
    }
    problems.push(
      `external_ids[${index}] must be a positive integer or 1 to 64 letters, digits, _ or - (got ${JSON.stringify(id)?.slice(0, 80)})`,
    );
    return '';
  });
  if (problems.length > 0) {
    throw invalid(problems.slice(0, 20));
  }
  return [...new Set(parsed)];
}

function invalid(messages: string[]): DomainError {
  return new DomainError(ErrorCode.InvalidInput, messages.join('; '), { message: messages });
}

export type FetchStatus = 'created' | 'updated' | 'unchanged' | 'not_found' | 'failed';

export class FetchExternalItemDto {
  @ApiProperty({ example: '1' })
  external_id!: string;

  @ApiProperty({
    enum: ['created', 'updated', 'unchanged', 'not_found', 'failed'],
    example: 'created',
  })
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
