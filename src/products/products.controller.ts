import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { JobDto } from '../jobs/dto/job.dto';
import { FetchExternalBodyDto, FetchExternalResultDto } from './dto/fetch-external.dto';
import { parseExternalIds } from './external-ids';
import { ProductImportService } from './product-import.service';
import { PageInterceptor } from '../common/page.interceptor';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { DeleteById } from '../common/delete-by-id.decorator';
import { NoBody } from '../common/no-body';
import { Page } from '../common/pagination.dto';
import { ID_PARAM } from '../common/entity-id';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQueryDto } from './dto/list-products-query.dto';
import { ProductDto } from './dto/product.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductsService } from './products.service';
import { Caller, CallerOf } from '../security/caller';
import { ExternalIdBudget } from '../security/external-id-budget';
import { RateLimited } from '../security/security.decorators';

@ApiTags('products')
@ApiExtraModels(FetchExternalBodyDto)
@Controller('products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly importer: ProductImportService,
    private readonly idBudget: ExternalIdBudget,
  ) {}

  @Get()
  // only list routes pay for the interceptor (rxjs per request): GET by id is the hot path
  @UseInterceptors(PageInterceptor)
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

  @Post('fetch_external')
  @HttpCode(200)
  @RateLimited('the call would take this client over RATE_LIMIT_EXTERNAL_IDS ids in the window')
  @ApiOperation({
    summary: 'Create or update products from the external product API',
    description:
      'Body `{"external_ids": [...]}`, a bare array, or repeated `?external_id=` query parameters; 1..1000 ids, ' +
      'each a positive integer or 1 to 64 letters, digits, `_` or `-`. Fetched concurrently; per-id results. 502 when the ' +
      'upstream failed for every id (504 when all timed out), 503 with Retry-After while its circuit is open. ' +
      'Each client (its API key, else its address) may ask for RATE_LIMIT_EXTERNAL_IDS ids per window; a call ' +
      'that would go over is refused whole (429).',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(FetchExternalBodyDto) },
        {
          type: 'array',
          items: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
          example: [1, '2'],
        },
      ],
    },
  })
  @ApiQuery({
    name: 'external_id',
    required: false,
    isArray: true,
    type: String,
    description: 'When there is no body',
  })
  @ApiOkResponse({ type: FetchExternalResultDto })
  @ApiErrorResponses(400, 413, 502, 503, 504)
  async fetchExternal(
    @Body() body: unknown,
    @Query('external_id') queryIds: unknown,
    @CallerOf() caller: Caller,
  ): Promise<FetchExternalResultDto> {
    const ids = parseExternalIds(body, queryIds);
    this.idBudget.spend(caller, ids.length);
    return FetchExternalResultDto.from(await this.importer.fetchExternal(ids));
  }

  @Post('refresh_all')
  @HttpCode(202)
  @RateLimited()
  @ApiOperation({
    summary: 'Re-fetch every product that has an external_id, in the background',
    description:
      'Returns at once with the job; while one runs, returns that same job. Progress at `status_url`.',
  })
  @ApiAcceptedResponse({ type: JobDto })
  @ApiErrorResponses(400)
  async refreshAll(@NoBody() _body: void): Promise<JobDto> {
    return JobDto.from(await this.importer.refreshAll());
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get one product',
    description: '400 when `id` is not a positive integer, 404 when there is no such product.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ProductDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', ParseIdPipe) id: number): Promise<ProductDto> {
    return ProductDto.from(await this.products.get(id));
  }

  @Post()
  @ApiOperation({
    summary: 'Create a product',
    description:
      '`name` and `price` are required; `external_id`, when given, must not be taken (409).',
  })
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
  @ApiOperation({
    summary: 'Update some fields of a product',
    description: 'Only the fields given change; 409 when the new `external_id` is taken.',
  })
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

  @DeleteById('Delete a product', 'The `product.deleted` event carries the deleted record.')
  async remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.products.remove(id);
  }
}
