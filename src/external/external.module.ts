import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { externalConfig } from '../config/external.config';
import { HttpProductSource, PROVIDERS } from './http-product-source';
import { ProductSource } from './product-source';
import { ResilientHttpClient } from './resilient-http-client';

/** Owns every outbound HTTP call; other modules see only the sources it exports. */
@Module({
  imports: [HttpModule],
  providers: [
    ResilientHttpClient,
    {
      provide: ProductSource,
      inject: [ResilientHttpClient, externalConfig.KEY],
      useFactory: (http: ResilientHttpClient, config: ConfigType<typeof externalConfig>) =>
        new HttpProductSource(http, config.baseUrl, PROVIDERS[config.provider]),
    },
  ],
  exports: [ProductSource, ResilientHttpClient],
})
export class ExternalModule {}
