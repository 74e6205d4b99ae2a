import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { Product } from './entities/product.entity';
import { NewProduct, ProductListFilter, ProductsRepository } from './products.repository';

/** LIKE treats % and _ as wildcards; a user's text must match literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class ProductsTypeormRepository extends ProductsRepository {
  constructor(@InjectRepository(Product) private readonly repo: Repository<Product>) {
    super();
  }

  private on(tx?: EntityManager): Repository<Product> {
    return tx ? tx.getRepository(Product) : this.repo;
  }

  findById(id: number, tx?: EntityManager): Promise<Product | null> {
    return this.on(tx).findOneBy({ id });
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

  /** A plain INSERT (save() would SELECT first); the generated id is read back from the driver. */
  async insert(tx: EntityManager, product: NewProduct): Promise<Product> {
    const entity = tx.getRepository(Product).create(product);
    const result = await tx.getRepository(Product).insert(entity);
    entity.id = (result.identifiers[0] as { id: number }).id;
    return entity;
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
