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
import { FiatRateProvider } from './providers/fiat.provider';
import { MockRateProvider } from './providers/mock.provider';
import { RateProvider } from './providers/rate-provider';
import { RatesSyncService } from './rates-sync.service';
import { RatesScheduler } from './rates.scheduler';
import { TasksRunController } from './tasks-run.controller';

function rateProvider(http: UpstreamHttp, config: ConfigType<typeof ratesConfig>): RateProvider {
  switch (config.apiType) {
    case 'fiat':
      return new FiatRateProvider(http, config.fiatUrl);
    case 'crypto':
      return new CryptoRateProvider(http, config.cryptoUrl, config.cryptoSymbols);
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
      provide: RateProvider,
      inject: [UpstreamHttp, ratesConfig.KEY],
      useFactory: rateProvider,
    },
  ],
})
export class RatesModule {}
