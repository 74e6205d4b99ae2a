import { Module } from '@nestjs/common';
import { EventFanoutListener } from './event-fanout.listener';
import { GatewayMetrics } from './gateway.metrics';
import { ItemsGateway } from './items.gateway';
import { RemoteEventsController } from './remote-events.controller';

@Module({
  controllers: [RemoteEventsController],
  providers: [ItemsGateway, EventFanoutListener, GatewayMetrics],
  exports: [ItemsGateway],
})
export class GatewayModule {}
