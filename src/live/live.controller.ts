import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Asset, LiveAssets } from './live-assets';

const file = ({ body, type }: Asset) => new StreamableFile(body, { type, length: body.length });

/** `/live`: a page that shows the event stream and a live chart of the rates. */
@ApiTags('live')
@Controller('live')
export class LiveController {
  constructor(private readonly assets: LiveAssets) {}

  @Get()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary: 'The live page (HTML)',
    description:
      'Events from `/ws/items` as they happen, a live chart of a rate (its history, then the ' +
      'stream), a form that creates an item. Reconnects by itself.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', schema: { type: 'string' } })
  async page(): Promise<StreamableFile> {
    return file(await this.assets.page('index.html'));
  }

  @Get('vendor/:name')
  @Header('Cache-Control', 'public, max-age=86400')
  @ApiExcludeEndpoint()
  async vendor(@Param('name') name: string): Promise<StreamableFile> {
    return file(await this.assets.vendor(name));
  }

  @Get(':name')
  @Header('Cache-Control', 'no-cache')
  @ApiExcludeEndpoint()
  async asset(@Param('name') name: string): Promise<StreamableFile> {
    return file(await this.assets.page(name));
  }
}
