import { ApiProperty } from '@nestjs/swagger';
import { Product } from '../entities/product.entity';

export class ProductDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'Essence Mascara Lash Princess' })
  name!: string;

  @ApiProperty({ example: 'A popular mascara.' })
  description!: string;

  @ApiProperty({ example: 9.99 })
  price!: number;

  @ApiProperty({ type: String, nullable: true, example: '1' })
  external_id!: string | null;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  updated_at!: string;

  static from(product: Product): ProductDto {
    return {
      id: product.id,
      name: product.name,
      description: product.description,
      price: product.price,
      external_id: product.externalId,
      created_at: product.createdAt.toISOString(),
      updated_at: product.updatedAt.toISOString(),
    };
  }
}
