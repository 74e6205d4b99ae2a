import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventCatalog } from './event-catalog.service';

@ApiTags('events')
@Controller()
export class EventCatalogController {
  constructor(private readonly catalog: EventCatalog) {}

  @Get('asyncapi.json')
  @ApiOperation({
    summary: 'The event catalog (AsyncAPI 3)',
    description:
      'Every domain event: its name, NATS subject and payload schema, plus the WebSocket frames of `/ws/items`.',
  })
  @ApiOkResponse({ description: 'An AsyncAPI 3.0 document', schema: { type: 'object' } })
  asyncApi(): Record<string, unknown> {
    return this.catalog.document();
  }
}
