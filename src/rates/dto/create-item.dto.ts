import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsNumber, IsString, Matches, Min, ValidateIf } from 'class-validator';
import { RATE_SOURCES, RateSource } from '../entities/item.entity';
import { CURRENCY_CODE } from '../providers/rate-provider';

const CODE_MESSAGE = (field: string) => `${field} must be 2 to 10 upper-case letters or digits`;

export class CreateItemDto {
  @ApiProperty({ pattern: CURRENCY_CODE.source, example: 'EUR' })
  @Matches(CURRENCY_CODE, { message: CODE_MESSAGE('code') })
  @IsString({ message: 'code must be a string' })
  code!: string;

  @ApiProperty({ pattern: CURRENCY_CODE.source, example: 'USD' })
  @Matches(CURRENCY_CODE, { message: CODE_MESSAGE('base') })
  @IsString({ message: 'base must be a string' })
  base!: string;

  @ApiProperty({ exclusiveMinimum: true, minimum: 0, example: 0.92 })
  @Min(Number.MIN_VALUE, { message: 'rate must be > 0' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'rate must be a number' })
  rate!: number;

  @ApiPropertyOptional({ enum: RATE_SOURCES, default: 'manual' })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(RATE_SOURCES, { message: `source must be one of ${RATE_SOURCES.join(', ')}` })
  source?: RateSource;
}

/** PATCH: any of code, base, rate; null is validated (and refused) like any other value. */
export class UpdateItemDto extends PartialType(
  PickType(CreateItemDto, ['code', 'base', 'rate'] as const),
  {
    skipNullProperties: false,
  },
) {}
