import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { EventsGateway } from './events.gateway';

/** websocket_clients: the gateway's connected clients, counted when Prometheus scrapes. */
@Injectable()
export class GatewayMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly gateway: EventsGateway,
  ) {}

  onModuleInit(): void {
    this.metrics.readAtScrape('websocketClients', () => this.gateway.clientCount);
  }
}
