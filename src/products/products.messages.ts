import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdMessageDto } from '../common/id-message.dto';
import { RPC_QUEUE } from '../events/nats-transport';
import { FetchExternalResultDto } from './dto/fetch-external.dto';
import { parseExternalIds } from './external-ids';
import { ListProductsQueryDto } from './dto/list-products-query.dto';
import { ProductDto } from './dto/product.dto';
import { ProductImportService } from './product-import.service';
import { ProductsService } from './products.service';
import { Caller, CallerOf } from '../security/caller';
import { ExternalIdBudget } from '../security/external-id-budget';
import { RequiresApiKey } from '../security/security.decorators';

/** Products for sibling services over NATS request-reply; the same validation as REST. */
@Controller()
export class ProductsMessagesController {
  constructor(
    private readonly products: ProductsService,
    private readonly importer: ProductImportService,
    private readonly idBudget: ExternalIdBudget,
  ) {}

  @MessagePattern('products.get', { queue: RPC_QUEUE })
  async get(@Payload() message: IdMessageDto): Promise<ProductDto> {
    return ProductDto.from(await this.products.get(message.id));
  }

  @MessagePattern('products.list', { queue: RPC_QUEUE })
  async list(@Payload() query: ListProductsQueryDto): Promise<ProductDto[]> {
    return (await this.products.list(query)).items.map((product) => ProductDto.from(product));
  }

  @MessagePattern('products.fetch_external', { queue: RPC_QUEUE })
  @RequiresApiKey()
  async fetchExternal(
    @Payload() body: unknown,
    @CallerOf() caller: Caller,
  ): Promise<FetchExternalResultDto> {
    const ids = parseExternalIds(body, undefined);
    this.idBudget.spend(caller, ids.length);
    return FetchExternalResultDto.from(await this.importer.fetchExternal(ids));
  }
}
