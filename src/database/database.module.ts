import { Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { initializeDataSource } from './initialize-data-source';
import { AllConfig } from '../config';
import { SqlDialect } from './sql-dialect';
import { ReadConnection } from './read-connection';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) => ({
        ...dataSourceOptions(config.get('database.url', { infer: true })),
        // pending migrations run at startup, so a fresh SQLite file is ready to serve
        migrationsRun: true,
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
      // migrations under a lock on PostgreSQL: N instances may start at once on a fresh database
      dataSourceFactory: initializeDataSource,
    }),
  ],
  providers: [
    TransactionRunner,
    ReadConnection,
    {
      provide: SqlDialect,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new SqlDialect(ds.options),
    },
  ],
  exports: [TransactionRunner, SqlDialect, ReadConnection],
})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: SqlDialect,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.sql.sqlite) {
      // with WAL, NORMAL never corrupts the file and skips an fsync per commit
      await this.dataSource.query('PRAGMA synchronous = NORMAL');
    }
    this.logger.log(`database ready (${this.sql.engine})`);
  }
}
