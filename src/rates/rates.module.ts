import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ratesConfig } from '../config/rates.config';
import { ExternalModule } from '../external/external.module';
import { UpstreamHttp } from '../external/upstream-http';
import { JobsModule } from '../jobs/jobs.module';
import { ConversionController } from './conversion/conversion.controller';
import { ConversionService } from './conversion/conversion.service';
import { Item } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';
import { ItemsController } from './items.controller';
import { ItemsMessagesController } from './items.messages';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { ItemsTypeormRepository } from './items.typeorm-repository';
import { CryptoRateProvider } from './providers/crypto.provider';
import { EcbRateProvider } from './providers/ecb.provider';
import { FiatRateProvider } from './providers/fiat.provider';
import { MockRateProvider } from './providers/mock.provider';
import { RateProvider } from './providers/rate-provider';
import { RateProviders } from './providers/rate-providers';
import { RatesSyncService } from './rates-sync.service';
import { RatesScheduler } from './rates.scheduler';
import { TasksRunController } from './tasks-run.controller';

function rateProvider(
  type: ConfigType<typeof ratesConfig>['apiTypes'][number],
  http: UpstreamHttp,
  config: ConfigType<typeof ratesConfig>,
): RateProvider {
  switch (type) {
    case 'fiat':
      return new FiatRateProvider(http, config.fiatUrl);
    case 'crypto':
      return new CryptoRateProvider(http, config.cryptoUrl, config.cryptoSymbols);
    case 'ecb':
      return new EcbRateProvider(http, config.ecbUrl);
    case 'mock':
      return new MockRateProvider();
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([Item, RateHistory]), ExternalModule, JobsModule],
  controllers: [ItemsController, ConversionController, ItemsMessagesController, TasksRunController],
  providers: [
    ItemsService,
    ConversionService,
    RatesSyncService,
    RatesScheduler,
    { provide: ItemsRepository, useClass: ItemsTypeormRepository },
    {
      provide: RateProviders,
      inject: [UpstreamHttp, ratesConfig.KEY],
      useFactory: (http: UpstreamHttp, config: ConfigType<typeof ratesConfig>) =>
        new RateProviders(config.apiTypes.map((type) => rateProvider(type, http, config))),
    },
  ],
  // for retention's prune of the rate history
  exports: [ItemsRepository],
})
export class RatesModule {}
