import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { Page } from '../common/pagination.dto';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQueryDto } from './dto/list-products-query.dto';
import { ProductDto } from './dto/product.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductsService } from './products.service';

const ID_PARAM = { name: 'id', type: Number, example: 1, description: 'Positive integer' } as const;

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @ApiOperation({
    summary: 'List products',
    description: 'Sets X-Total-Count to the number of matches.',
  })
  @ApiOkResponse({
    type: [ProductDto],
    headers: {
      'X-Total-Count': { description: 'Matches before pagination', schema: { type: 'integer' } },
    },
  })
  @ApiErrorResponses(400)
  async list(@Query() query: ListProductsQueryDto): Promise<Page<ProductDto>> {
    return (await this.products.list(query)).map((product) => ProductDto.from(product));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one product' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ProductDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', ParseIdPipe) id: number): Promise<ProductDto> {
    return ProductDto.from(await this.products.get(id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a product' })
  @ApiBody({ type: CreateProductDto })
  @ApiCreatedResponse({ type: ProductDto })
  @ApiErrorResponses(400, 409, 413)
  async create(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return ProductDto.from(await this.products.create(dto));
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Replace a product',
    description: '`name` and `price` are required; omitted fields return to their defaults.',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: CreateProductDto })
  @ApiOkResponse({ type: ProductDto })
  @ApiErrorResponses(400, 404, 409, 413)
  async replace(
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: CreateProductDto,
  ): Promise<ProductDto> {
    return ProductDto.from(await this.products.replace(id, dto));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update some fields of a product' })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: UpdateProductDto })
  @ApiOkResponse({ type: ProductDto })
  @ApiErrorResponses(400, 404, 409, 413)
  async patch(
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateProductDto,
  ): Promise<ProductDto> {
    return ProductDto.from(await this.products.patch(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a product' })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404)
  async remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.products.remove(id);
  }
}
