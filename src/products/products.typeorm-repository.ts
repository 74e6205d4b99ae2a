import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { SqlitePreparedQuery } from '../database/sqlite-prepared';
import { Product } from './entities/product.entity';
import { NewProduct, ProductListFilter, ProductsRepository } from './products.repository';

interface RawProduct {
  id: number;
  name: string;
  description: string;
  price: number | string;
  external_id: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** LIKE treats % and _ as wildcards; a user's text must match literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class ProductsTypeormRepository extends ProductsRepository implements OnModuleDestroy {
  private readonly selectById: string;
  private readonly sqlite: boolean;
  private readonly prepared?: SqlitePreparedQuery<RawProduct>;

  constructor(@InjectRepository(Product) private readonly repo: Repository<Product>) {
    super();
    this.sqlite = repo.manager.connection.options.type === 'sqlite';
    this.selectById =
      'SELECT id, name, description, price, external_id, created_at, updated_at FROM products WHERE id = ' +
      (this.sqlite ? '?' : '$1');
    if (this.sqlite) {
      this.prepared = new SqlitePreparedQuery(repo.manager.connection, this.selectById);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.prepared?.finalize();
  }

  private hydrate(row: RawProduct): Product {
    return Object.assign(new Product(), {
      id: row.id,
      name: row.name,
      description: row.description,
      price: Number(row.price),
      externalId: row.external_id,
      // SQLite keeps TypeORM's UTC text form ("2026-11-23 10:00:00.000"); pg returns a Date
      createdAt: this.toDate(row.created_at),
      updatedAt: this.toDate(row.updated_at),
    });
  }

  private toDate(value: string | Date): Date {
    return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
  }

  private on(tx?: EntityManager): Repository<Product> {
    return tx ? tx.getRepository(Product) : this.repo;
  }

  /**
   * The hottest read: one prepared-shape SQL statement instead of findOneBy, which costs twice as
   * much per call in TypeORM's query building and hydration (measured: ~210 vs ~100 µs on SQLite; on SQLite a reused prepared statement, ~40 µs).
   */
  async findById(id: number, tx?: EntityManager): Promise<Product | null> {
    if (this.prepared && !tx) {
      const row = await this.prepared.get(id);
      return row ? this.hydrate(row) : null;
    }
    const rows: RawProduct[] = await (tx ?? this.repo.manager).query(this.selectById, [id]);
    return rows.length === 0 ? null : this.hydrate(rows[0]);
  }

  findByExternalId(externalId: string, tx?: EntityManager): Promise<Product | null> {
    return this.on(tx).findOneBy({ externalId });
  }

  async list(filter: ProductListFilter): Promise<Page<Product>> {
    const query = this.repo.createQueryBuilder('p');
    if (filter.q !== undefined && filter.q !== '') {
      query.andWhere("LOWER(p.name) LIKE :q ESCAPE '\\'", { q: likePattern(filter.q) });
    }
    if (filter.externalId !== undefined) {
      query.andWhere('p.externalId = :externalId', { externalId: filter.externalId });
    }
    // the sort column comes from a whitelist, never from user text
    query
      .orderBy(`p.${filter.sort}`, filter.descending ? 'DESC' : 'ASC')
      .addOrderBy('p.id', filter.descending ? 'DESC' : 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    const [items, total] = await query.getManyAndCount();
    return new Page(items, total);
  }

  findByExternalIds(tx: EntityManager, externalIds: string[]): Promise<Product[]> {
    return externalIds.length === 0
      ? Promise.resolve([])
      : tx.getRepository(Product).findBy({ externalId: In(externalIds) });
  }

  countWithExternalId(): Promise<number> {
    return this.repo.countBy({ externalId: Not(IsNull()) });
  }

  pageWithExternalId(afterId: number, limit: number): Promise<Product[]> {
    return this.repo.find({
      where: { id: MoreThan(afterId), externalId: Not(IsNull()) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  /** One INSERT statement: no reload SELECT; the id comes from lastID (SQLite) or RETURNING (pg). */
  async insert(tx: EntityManager, product: NewProduct): Promise<Product> {
    const query = tx
      .createQueryBuilder()
      .insert()
      .into(Product)
      .values(product)
      .updateEntity(false);
    const result = await (this.sqlite ? query : query.returning('id')).execute();
    const raw: unknown = result.raw;
    const id = this.sqlite ? (raw as number) : (raw as { id: number }[])[0].id;
    return Object.assign(new Product(), product, { id });
  }

  async upsertByExternalId(tx: EntityManager, products: NewProduct[]): Promise<void> {
    if (products.length === 0) {
      return;
    }
    await tx
      .createQueryBuilder()
      .insert()
      .into(Product)
      .values(products)
      .orUpdate(['name', 'description', 'price', 'updated_at'], ['external_id'])
      .updateEntity(false)
      .execute();
  }

  /** A plain UPDATE of the mutable columns (save() would SELECT first). */
  async update(tx: EntityManager, product: Product): Promise<Product> {
    const { name, description, price, externalId, updatedAt } = product;
    await tx
      .getRepository(Product)
      .update({ id: product.id }, { name, description, price, externalId, updatedAt });
    return product;
  }

  async delete(tx: EntityManager, id: number): Promise<void> {
    await tx.getRepository(Product).delete({ id });
  }
}
