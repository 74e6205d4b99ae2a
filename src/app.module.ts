import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configNamespaces } from './config';
import { validateConfig } from './config/validated-env';
import { DatabaseModule } from './database/database.module';
import { ScheduleModule } from '@nestjs/schedule';
import { EventsModule } from './events/events.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveModule } from './live/live.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RatesModule } from './rates/rates.module';
import { RetentionModule } from './retention/retention.module';
import { ProductsModule } from './products/products.module';
import { SecurityModule } from './security/security.module';

@Module({})
export class AppModule {
  /**
   * Built on call rather than at import, so the environment (and, in tests, its overrides) is
   * read and validated once, when the app starts: a bad value stops startup with one message.
   */
  static async register(): Promise<DynamicModule> {
    // awaited here, not inside NestFactory, so a ConfigValidationError reaches the caller as itself
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: configNamespaces,
      validate: validateConfig,
    });
    return {
      module: AppModule,
      imports: [
        config,
        ScheduleModule.forRoot(),
        LoggingModule,
        MetricsModule,
        DatabaseModule,
        EventsModule,
        JobsModule,
        ProductsModule,
        RatesModule,
        RetentionModule,
        GatewayModule,
        HealthModule,
        LiveModule,
        SecurityModule,
      ],
    };
  }
}
