import { PartialType } from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto';

/** PATCH body: any subset of the fields; `null` is still validated (only external_id may be null). */
export class UpdateProductDto extends PartialType(CreateProductDto, {
  skipNullProperties: false,
}) {}
