import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { hotQuery, managerOf, Transaction } from '../database/transaction';
import { Page } from '../common/pagination.dto';
import { SqlDialect } from '../database/sql-dialect';
import { SqliteBatchedRead } from '../database/sqlite-batched-read';
import { Product } from './entities/product.entity';
import {
  NewProduct,
  ProductListFilter,
  ProductsRepository,
  UpsertAction,
} from './products.repository';

interface RawProduct {
  id: number;
  name: string;
  description: string;
  price: number | string;
  external_id: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const PRODUCT_COLUMNS = 'id, name, description, price, external_id, created_at, updated_at';

/** LIKE treats % and _ as wildcards; a user's text must match literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class ProductsTypeormRepository extends ProductsRepository implements OnModuleDestroy {
  private readonly selectById: string;
  private readonly insertOne: string;
  private readonly byId?: SqliteBatchedRead<RawProduct>;

  constructor(
    @InjectRepository(Product) private readonly repo: Repository<Product>,
    private readonly sql: SqlDialect,
  ) {
    super();
    this.selectById = `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ${sql.param(1)}`;
    this.insertOne =
      'INSERT INTO products (name, description, price, external_id, created_at, updated_at) ' +
      `VALUES ${sql.valueRows(1, 6)} RETURNING id`;
    if (sql.sqlite) {
      this.byId = new SqliteBatchedRead(
        repo.manager.connection,
        `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id IN (SELECT value FROM json_each(?))`,
        (row) => row.id,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.byId?.close();
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

  /**
   * The hottest read: plain SQL instead of findOneBy, whose query building and hydration cost
   * more than the query itself; on SQLite, outside a transaction, batched reads through one
   * statement prepared once.
   */
  async findById(id: number, tx?: Transaction): Promise<Product | null> {
    if (this.byId && !tx) {
      const row = await this.byId.get(id);
      return row ? this.hydrate(row) : null;
    }
    const rows: RawProduct[] = await (tx ? managerOf(tx) : this.repo.manager).query(
      this.selectById,
      [id],
    );
    return rows.length === 0 ? null : this.hydrate(rows[0]);
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

  /** Plain SQL: the refresh calls this per batch, and find()'s query building costs more than the query. */
  async findByExternalIds(tx: Transaction, externalIds: string[]): Promise<Product[]> {
    if (externalIds.length === 0) {
      return [];
    }
    const rows: RawProduct[] = await managerOf(tx).query(
      `SELECT ${PRODUCT_COLUMNS} FROM products WHERE external_id IN (${this.sql.list(externalIds.length)})`,
      externalIds,
    );
    return rows.map((row) => this.hydrate(row));
  }

  countWithExternalId(): Promise<number> {
    return this.repo.countBy({ externalId: Not(IsNull()) });
  }

  async externalIdsAfter(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; externalId: string }[]> {
    const rows: { id: number; external_id: string }[] = await this.repo.query(
      `SELECT id, external_id FROM products WHERE id > ${this.sql.param(1)} AND external_id IS NOT NULL ORDER BY id LIMIT ${this.sql.param(2)}`,
      [afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, externalId: row.external_id }));
  }

  /** POST /products: one constant statement, prepared once on SQLite (the hot write path). */
  async insert(tx: Transaction, product: NewProduct): Promise<Product> {
    const { name, description, price, externalId, createdAt, updatedAt } = product;
    const [{ id }] = await hotQuery<{ id: number }>(tx, this.insertOne, [
      name,
      description,
      price,
      externalId,
      this.sql.timestamp(createdAt),
      this.sql.timestamp(updatedAt),
    ]);
    return Object.assign(new Product(), product, { id });
  }

  /**
   * One multi-row INSERT … ON CONFLICT (external_id) DO UPDATE. On PostgreSQL transactions run
   * concurrently: the update skips a row whose content is already the same, and RETURNING says
   * which rows were inserted (`xmax = 0`) or updated, so two racing calls each report what they
   * really did. On SQLite writes run one at a time, so the caller's read is exact.
   */
  async upsertByExternalId(
    tx: Transaction,
    products: NewProduct[],
    expectedExisting: ReadonlySet<string>,
  ): Promise<Map<string, UpsertAction>> {
    if (products.length === 0) {
      return new Map();
    }
    const params: unknown[] = [];
    for (const p of products) {
      params.push(
        p.name,
        p.description,
        p.price,
        p.externalId,
        this.sql.timestamp(p.createdAt),
        this.sql.timestamp(p.updatedAt),
      );
    }
    const upsert =
      'INSERT INTO products (name, description, price, external_id, created_at, updated_at) ' +
      `VALUES ${this.sql.valueRows(products.length, 6)} ` +
      'ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, ' +
      'description = excluded.description, price = excluded.price, updated_at = excluded.updated_at';
    if (this.sql.sqlite) {
      await managerOf(tx).query(upsert, params);
      return new Map(
        products.map((p) => [
          p.externalId as string,
          expectedExisting.has(p.externalId as string) ? 'updated' : 'created',
        ]),
      );
    }
    const rows: { external_id: string; inserted: boolean }[] = await managerOf(tx).query(
      `${upsert} WHERE (products.name, products.description, products.price) ` +
        'IS DISTINCT FROM (excluded.name, excluded.description, excluded.price) ' +
        'RETURNING external_id, (xmax = 0) AS inserted',
      params,
    );
    return new Map(rows.map((r) => [r.external_id, r.inserted ? 'created' : 'updated']));
  }

  /** A plain UPDATE of the mutable columns (save() would SELECT first). */
  async update(tx: Transaction, product: Product): Promise<Product> {
    const { name, description, price, externalId, updatedAt } = product;
    await managerOf(tx)
      .getRepository(Product)
      .update({ id: product.id }, { name, description, price, externalId, updatedAt });
    return product;
  }

  async delete(tx: Transaction, id: number): Promise<void> {
    await managerOf(tx).getRepository(Product).delete({ id });
  }
}
