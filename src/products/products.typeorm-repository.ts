import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  insert(tx: EntityManager, product: NewProduct): Promise<Product> {
    return tx.getRepository(Product).save(tx.getRepository(Product).create(product));
  }

  update(tx: EntityManager, product: Product): Promise<Product> {
    return tx.getRepository(Product).save(product, { reload: false });
  }

  async delete(tx: EntityManager, id: number): Promise<void> {
    await tx.getRepository(Product).delete({ id });
  }
}
