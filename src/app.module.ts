import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configNamespaces } from './config';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { ProductsModule } from './products/products.module';

@Module({})
export class AppModule {
  /**
   * Built on call rather than at import, so the environment (and, in tests, its overrides) is
   * read and validated when the app starts: a bad value stops startup with one clear message.
   */
  static register(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          load: configNamespaces,
          validate: (raw) => ({ ...raw, ...validateEnv(raw) }),
        }),
        DatabaseModule,
        ProductsModule,
      ],
    };
  }
}
