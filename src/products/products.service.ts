import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { writeOrConflict } from '../common/write-or-conflict';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { ProductDto } from './dto/product.dto';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQueryDto, ProductSortKey } from './dto/list-products-query.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './entities/product.entity';
import { ProductSortColumn, ProductsRepository } from './products.repository';

const SORT_COLUMNS: Record<ProductSortKey, ProductSortColumn> = {
  id: 'id',
  name: 'name',
  price: 'price',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
};

const externalIdTaken = (externalId: string | null | undefined): string =>
  `external_id "${externalId ?? ''}" is already used by another product`;

@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  list(query: ListProductsQueryDto): Promise<Page<Product>> {
    const sort = query.sort ?? 'id';
    const descending = sort.startsWith('-');
    return this.products.list({
      q: query.q,
      externalId: query.external_id,
      sort: SORT_COLUMNS[(descending ? sort.slice(1) : sort) as ProductSortKey],
      descending,
      limit: query.limit,
      offset: query.offset,
    });
  }

  async get(id: number): Promise<Product> {
    const product = await this.products.findById(id);
    if (!product) {
      throw DomainError.notFound('product', id);
    }
    return product;
  }

  create(dto: CreateProductDto): Promise<Product> {
    return writeOrConflict(this.transactions, externalIdTaken(dto.external_id), async (tx) => {
      const now = new Date();
      const product = await this.products.insert(tx, {
        name: dto.name,
        description: dto.description ?? '',
        price: dto.price,
        externalId: dto.external_id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await this.events.record(tx, 'product.created', { ...ProductDto.from(product) });
      return product;
    });
  }

  /** PUT: a full replace; omitted optional fields return to their defaults. */
  replace(id: number, dto: CreateProductDto): Promise<Product> {
    return this.change(id, dto.external_id, {
      name: dto.name,
      description: dto.description ?? '',
      price: dto.price,
      externalId: dto.external_id ?? null,
    });
  }

  /** PATCH: only the given fields change. */
  patch(id: number, dto: UpdateProductDto): Promise<Product> {
    return this.change(id, dto.external_id, {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.description !== undefined && { description: dto.description }),
      ...(dto.price !== undefined && { price: dto.price }),
      ...(dto.external_id !== undefined && { externalId: dto.external_id }),
    });
  }

  async remove(id: number): Promise<Product> {
    return this.transactions.run(async (tx) => {
      const product = await this.products.findById(id, tx);
      if (!product) {
        throw DomainError.notFound('product', id);
      }
      await this.products.delete(tx, id);
      await this.events.record(tx, 'product.deleted', { ...ProductDto.from(product) });
      return product;
    });
  }

  private change(
    id: number,
    externalId: string | null | undefined,
    fields: Partial<Omit<Product, 'id' | 'createdAt' | 'updatedAt'>>,
  ): Promise<Product> {
    return writeOrConflict(this.transactions, externalIdTaken(externalId), async (tx) => {
      const product = await this.products.findById(id, tx);
      if (!product) {
        throw DomainError.notFound('product', id);
      }
      Object.assign(product, fields, { updatedAt: new Date() });
      await this.products.update(tx, product);
      await this.events.record(tx, 'product.updated', { ...ProductDto.from(product) });
      return product;
    });
  }
}
