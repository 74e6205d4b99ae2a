import { ApiProperty } from '@nestjs/swagger';

/** The shape of every error answer, 4xx and 5xx alike. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'product 42 not found',
    description: 'A sentence, or for validation errors one sentence per problem',
  })
  message!: string | string[];

  @ApiProperty({ example: '/products/42' })
  path!: string;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  timestamp!: string;

  @ApiProperty({ example: '0b6f6c8e-3f55-4d4a-9a51-6a4f1f2f8c11' })
  request_id!: string;
}
