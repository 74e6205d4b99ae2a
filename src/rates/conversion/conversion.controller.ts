import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-responses.decorator';
import { ConversionService } from './conversion.service';
import { ConversionDto } from './dto/conversion.dto';
import { ConvertQueryDto } from './dto/convert-query.dto';

@ApiTags('items')
@Controller('convert')
export class ConversionController {
  constructor(private readonly conversions: ConversionService) {}

  @Get()
  @ApiOperation({
    summary: 'Convert an amount between currencies',
    description:
      'Through a direct item, its inverse, or the chain with the fewest steps (at most 3); among ' +
      'chains of one length, the one whose least recently updated item is the freshest. With ' +
      '`at`, the rates in force then (from the history). 404: a currency no item has, or no chain.',
  })
  @ApiOkResponse({ type: ConversionDto })
  @ApiErrorResponses(400, 404)
  async convert(@Query() query: ConvertQueryDto): Promise<ConversionDto> {
    return ConversionDto.from(await this.conversions.convert(query));
  }
}
