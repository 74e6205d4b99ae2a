import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.dto';
import { SINGLE_LINE_TEXT } from '../../common/text';

const PRODUCT_SORT_KEYS = ['id', 'name', 'price', 'created_at', 'updated_at'] as const;
export type ProductSortKey = (typeof PRODUCT_SORT_KEYS)[number];
const SORT_VALUES = PRODUCT_SORT_KEYS.flatMap((key) => [key, `-${key}`]);

export class ListProductsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive substring of the name',
    example: 'mascara',
  })
  @IsOptional()
  @Matches(SINGLE_LINE_TEXT, { message: 'q must not contain control characters' })
  @MaxLength(255, { message: 'q must be at most 255 characters long' })
  @IsString({ message: 'q must be a single string' })
  q?: string;

  @ApiPropertyOptional({ example: '1' })
  @IsOptional()
  @Matches(SINGLE_LINE_TEXT, { message: 'external_id must not contain control characters' })
  @MaxLength(64, { message: 'external_id must be at most 64 characters long' })
  @IsString({ message: 'external_id must be a single string' })
  external_id?: string;

  @ApiPropertyOptional({
    enum: SORT_VALUES,
    default: 'id',
    description: '`-` prefix sorts descending',
  })
  @IsOptional()
  @IsIn(SORT_VALUES, { message: `sort must be one of ${SORT_VALUES.join(', ')}` })
  sort?: string;
}
