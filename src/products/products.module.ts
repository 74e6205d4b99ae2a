import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExternalModule } from '../external/external.module';
import { JobsModule } from '../jobs/jobs.module';
import { Product } from './entities/product.entity';
import { ProductBatchWriter } from './product-batch-writer';
import { ProductImportService } from './product-import.service';
import { ProductsController } from './products.controller';
import { ProductsMessagesController } from './products.messages';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';
import { ProductsTypeormRepository } from './products.typeorm-repository';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), ExternalModule, JobsModule],
  controllers: [ProductsController, ProductsMessagesController],
  providers: [
    ProductsService,
    ProductImportService,
    ProductBatchWriter,
    { provide: ProductsRepository, useClass: ProductsTypeormRepository },
  ],
  exports: [ProductsService],
})
export class ProductsModule {}
