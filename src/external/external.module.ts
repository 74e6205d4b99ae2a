import { HttpModule, HttpService } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { externalConfig } from '../config/external.config';
import { HttpProductSource, PROVIDERS } from './http-product-source';
import { ProductSource } from './product-source';
import { ResilientHttpClient } from './resilient-http-client';
import { UpstreamHttp, UpstreamObserver } from './upstream-http';
import { UpstreamLogObserver } from './upstream-log.observer';
import { WorkerHttpClient } from './worker-http-client';

/** Owns every outbound HTTP call; other modules see only the sources and the port it exports. */
@Module({
  imports: [HttpModule],
  providers: [
    { provide: UpstreamObserver, useClass: UpstreamLogObserver },
    {
      provide: UpstreamHttp,
      inject: [HttpService, externalConfig.KEY, UpstreamObserver],
      useFactory: (
        http: HttpService,
        config: ConfigType<typeof externalConfig>,
        observer: UpstreamObserver,
      ): UpstreamHttp =>
        config.httpThread === 'worker'
          ? new WorkerHttpClient(config, observer)
          : new ResilientHttpClient(http.axiosRef, config, observer),
    },
    {
      provide: ProductSource,
      inject: [UpstreamHttp, externalConfig.KEY],
      useFactory: (http: UpstreamHttp, config: ConfigType<typeof externalConfig>) =>
        new HttpProductSource(http, config.baseUrl, PROVIDERS[config.provider]),
    },
  ],
  exports: [ProductSource, UpstreamHttp],
})
export class ExternalModule {}
