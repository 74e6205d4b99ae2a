import { Module } from '@nestjs/common';
import { EventFanoutListener } from './event-fanout.listener';
import { ItemsGateway } from './items.gateway';
import { RemoteEventsController } from './remote-events.controller';

@Module({
  controllers: [RemoteEventsController],
  providers: [ItemsGateway, EventFanoutListener],
  exports: [ItemsGateway],
})
export class GatewayModule {}
