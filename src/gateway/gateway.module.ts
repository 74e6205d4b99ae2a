import { Module } from '@nestjs/common';
import { EventFanoutListener } from './event-fanout.listener';
import { ItemsGateway } from './items.gateway';

@Module({ providers: [ItemsGateway, EventFanoutListener], exports: [ItemsGateway] })
export class GatewayModule {}
