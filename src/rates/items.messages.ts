import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdMessageDto } from '../common/id-message.dto';
import { RPC_QUEUE } from '../events/nats-transport';
import { ConversionService } from './conversion/conversion.service';
import { ConversionDto } from './conversion/dto/conversion.dto';
import { ConvertQueryDto } from './conversion/dto/convert-query.dto';
import { ListItemsQueryDto } from './dto/item-queries.dto';
import { ItemDto } from './dto/item.dto';
import { ItemsService } from './items.service';

/** Rates for sibling services over NATS request-reply; the same validation as REST. */
@Controller()
export class ItemsMessagesController {
  constructor(
    private readonly items: ItemsService,
    private readonly conversions: ConversionService,
  ) {}

  @MessagePattern('items.get', { queue: RPC_QUEUE })
  async get(@Payload() message: IdMessageDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.get(message.id));
  }

  @MessagePattern('items.list', { queue: RPC_QUEUE })
  async list(@Payload() query: ListItemsQueryDto): Promise<ItemDto[]> {
    return (await this.items.list(query)).items.map((item) => ItemDto.from(item));
  }

  @MessagePattern('rates.convert', { queue: RPC_QUEUE })
  async convert(@Payload() query: ConvertQueryDto): Promise<ConversionDto> {
    return ConversionDto.from(await this.conversions.convert(query));
  }
}
