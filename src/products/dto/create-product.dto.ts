import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsString, Length, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { MULTI_LINE_TEXT, SINGLE_LINE_TEXT } from '../../common/text';

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A client may send an external id as a number; it is stored as its decimal string. */
const externalIdToString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

/** Body of POST and PUT: PUT is a full replace, so omitted optional fields fall back to defaults. */
export class CreateProductDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Essence Mascara Lash Princess' })
  @Matches(SINGLE_LINE_TEXT, { message: 'name must not contain control characters' })
  @Length(1, 255, { message: 'name must be 1 to 255 characters long' })
  @IsString({ message: 'name must be a string' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 5000, default: '', example: 'A popular mascara.' })
  @ValidateIf((_, value) => value !== undefined)
  @Matches(MULTI_LINE_TEXT, {
    message: 'description must not contain control characters other than tab and line breaks',
  })
  @MaxLength(5000, { message: 'description must be at most 5000 characters long' })
  @IsString({ message: 'description must be a string' })
  description?: string;

  @ApiProperty({ minimum: 0, example: 9.99 })
  @Min(0, { message: 'price must be >= 0' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'price must be a number' })
  price!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '1',
    pattern: EXTERNAL_ID_PATTERN.source,
    description: 'Id in the external product API; a number is stored as its decimal string',
  })
  @Transform(externalIdToString)
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Matches(EXTERNAL_ID_PATTERN, { message: 'external_id must be 1 to 64 letters, digits, _ or -' })
  @IsString({ message: 'external_id must be a string, an integer or null' })
  external_id?: string | null;
}
