import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toIsoDate } from '../../dto/item-queries.dto';
import { CURRENCY_CODE } from '../../providers/rate-provider';

export const MAX_AMOUNT = 1e15;

/** A query string's plain decimal number becomes a number; "abc", "NaN", "0x10", "" stay strings. */
const toDecimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)
    ? Number(value)
    : value;

const CODE = (field: string) => `${field} must be 2 to 10 upper-case letters or digits`;
const AMOUNT = `amount must be a number > 0 and <= ${MAX_AMOUNT}`;

/** GET /convert and `rates.convert`: the same fields, the same rules. */
export class ConvertQueryDto {
  @ApiProperty({ pattern: CURRENCY_CODE.source, example: 'EUR' })
  @Matches(CURRENCY_CODE, { message: CODE('from') })
  @IsString({ message: CODE('from') })
  from!: string;

  @ApiProperty({ pattern: CURRENCY_CODE.source, example: 'JPY' })
  @Matches(CURRENCY_CODE, { message: CODE('to') })
  @IsString({ message: CODE('to') })
  to!: string;

  @ApiPropertyOptional({
    exclusiveMinimum: true,
    minimum: 0,
    maximum: MAX_AMOUNT,
    default: 1,
    example: 250,
  })
  @IsOptional()
  @Transform(toDecimal)
  @Max(MAX_AMOUNT, { message: AMOUNT })
  @Min(Number.MIN_VALUE, { message: AMOUNT })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: AMOUNT })
  amount: number = 1;

  @ApiPropertyOptional({
    description: 'Convert with the rates in force at this ISO-8601 time (default: now)',
    example: '2026-11-24T12:00:00Z',
  })
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'at must be an ISO-8601 date-time' })
  at?: Date;
}
