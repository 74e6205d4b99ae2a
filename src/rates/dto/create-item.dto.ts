import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsNumber, IsString, Matches, Min, ValidateIf } from 'class-validator';
import { RATE_SOURCES } from '../entities/item.entity';
import { CURRENCY_CODE } from '../providers/rate-provider';

const CODE_MESSAGE = (field: string) => `${field} must be 2 to 10 upper-case letters or digits`;

/** The one source a client may claim: the others say which provider's sync wrote the rate. */
const CLIENT_SOURCES = ['manual'] as const;
const PROVIDER_SOURCES = RATE_SOURCES.filter((source) => source !== 'manual');

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

  @ApiPropertyOptional({
    enum: CLIENT_SOURCES,
    default: 'manual',
    description: `Only \`manual\`: ${PROVIDER_SOURCES.join(', ')} are written by the rates sync alone`,
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(CLIENT_SOURCES, {
    message: `source must be manual (${PROVIDER_SOURCES.join(', ')} are set by the rates sync only)`,
  })
  source?: (typeof CLIENT_SOURCES)[number];
}

/** PATCH: any of code, base, rate, source; null is validated (and refused) like any other value. */
export class UpdateItemDto extends PartialType(
  PickType(CreateItemDto, ['code', 'base', 'rate', 'source'] as const),
  {
    skipNullProperties: false,
  },
) {}
