import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format: request durations by route and status, outbound calls by host ' +
      'and outcome, circuit states, WebSocket clients, outbox backlog and publish failures, ' +
      'jobs by kind and state, process metrics.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The exposition text',
    schema: { type: 'string', example: 'websocket_clients 3\noutbox_backlog 0\n' },
  })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
