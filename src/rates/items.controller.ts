import { Body, Controller, Get, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { DeleteById } from '../common/delete-by-id.decorator';
import { PageInterceptor } from '../common/page.interceptor';
import { Page } from '../common/pagination.dto';
import { ID_PARAM } from '../common/entity-id';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { CreateItemDto, UpdateItemDto } from './dto/create-item.dto';
import { HistoryQueryDto, ListItemsQueryDto } from './dto/item-queries.dto';
import { HistoryBucketDto, HistoryPointDto, ItemDto } from './dto/item.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @UseInterceptors(PageInterceptor)
  @ApiOperation({
    summary: 'List currency rates',
    description: 'Filters `base`, `code`, `source`; sets X-Total-Count.',
  })
  @ApiOkResponse({ type: [ItemDto], headers: { 'X-Total-Count': { schema: { type: 'integer' } } } })
  @ApiErrorResponses(400)
  async list(@Query() query: ListItemsQueryDto): Promise<Page<ItemDto>> {
    return (await this.items.list(query)).map((item) => ItemDto.from(item));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get one rate',
    description: '400 when `id` is not a positive integer, 404 when there is no such item.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ItemDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', ParseIdPipe) id: number): Promise<ItemDto> {
    return ItemDto.from(await this.items.get(id));
  }

  @Get(':id/history')
  @ApiOperation({
    summary: "An item's past rates, newest first",
    description:
      'The raw points (one per change of the rate, REST or sync), or with `interval` OHLC buckets (UTC boundaries, only buckets with points).',
  })
  @ApiParam(ID_PARAM)
  @ApiExtraModels(HistoryPointDto, HistoryBucketDto)
  @ApiOkResponse({
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(HistoryPointDto) } },
        { type: 'array', items: { $ref: getSchemaPath(HistoryBucketDto) } },
      ],
    },
  })
  @ApiErrorResponses(400, 404)
  async history(
    @Param('id', ParseIdPipe) id: number,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryPointDto[] | HistoryBucketDto[]> {
    if (query.interval) {
      return (await this.items.buckets(id, query)).map((bucket) => HistoryBucketDto.from(bucket));
    }
    return (await this.items.history(id, query)).map((point) => HistoryPointDto.from(point));
  }

  @Post()
  @ApiOperation({ summary: 'Create a rate', description: '`source` defaults to `manual`.' })
  @ApiBody({ type: CreateItemDto })
  @ApiCreatedResponse({ type: ItemDto })
  @ApiErrorResponses(400, 409, 413, 415)
  async create(@Body() dto: CreateItemDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.create(dto));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change code, base or rate',
    description:
      'Only the fields given change; a new rate is added to the history; 409 when the new ' +
      '(base, code) pair is taken.',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: UpdateItemDto })
  @ApiOkResponse({ type: ItemDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async patch(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateItemDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.patch(id, dto));
  }

  @DeleteById(
    'Delete a rate and its history',
    'Its history goes with it; the `item.deleted` event carries the deleted record.',
  )
  async remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.items.remove(id);
  }
}
