import { Transaction, transactionOf } from '../database/transaction';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { Product } from './entities/product.entity';
import {
  NewProduct,
  ProductListFilter,
  ProductsRepository,
  UpsertAction,
} from './products.repository';
import { ProductsService } from './products.service';

class InMemoryProducts extends ProductsRepository {
  rows: Product[] = [];
  lastFilter?: ProductListFilter;
  failNextInsertWith?: Error;

  findById(id: number) {
    return Promise.resolve(this.rows.find((p) => p.id === id) ?? null);
  }
  list(filter: ProductListFilter) {
    this.lastFilter = filter;
    return Promise.resolve(new Page(this.rows, this.rows.length));
  }
  findByExternalIds(_tx: Transaction, ids: string[]) {
    return Promise.resolve(
      this.rows.filter((p) => p.externalId !== null && ids.includes(p.externalId)),
    );
  }
  countWithExternalId() {
    return Promise.resolve(this.rows.filter((p) => p.externalId !== null).length);
  }
  externalIdsAfter(afterId: number, limit: number) {
    return Promise.resolve(
      this.rows
        .filter((p) => p.id > afterId && p.externalId !== null)
        .slice(0, limit)
        .map((p) => ({ id: p.id, externalId: p.externalId as string })),
    );
  }
  upsertByExternalId() {
    return Promise.resolve(new Map<string, UpsertAction>());
  }
  insert(_tx: Transaction, product: NewProduct) {
    if (this.failNextInsertWith) {
      return Promise.reject(this.failNextInsertWith);
    }
    const row = { ...product, id: this.rows.length + 1 };
    this.rows.push(row);
    return Promise.resolve(row);
  }
  update(_tx: Transaction, product: Product) {
    return Promise.resolve(product);
  }
  delete(_tx: Transaction, id: number) {
    this.rows = this.rows.filter((p) => p.id !== id);
    return Promise.resolve();
  }
}

const fakeEvents = { record: () => Promise.resolve() } as unknown as DomainEvents;
const directRunner = {
  run: (work: (m: Transaction) => Promise<unknown>) => work(transactionOf({} as never)),
};

describe('ProductsService', () => {
  let repo: InMemoryProducts;
  let service: ProductsService;

  beforeEach(() => {
    repo = new InMemoryProducts();
    service = new ProductsService(repo, directRunner as TransactionRunner, fakeEvents);
  });

  it('maps "-price" to a descending sort on the price column', async () => {
    await service.list({ sort: '-price', limit: 10, offset: 0 });
    expect(repo.lastFilter).toMatchObject({
      sort: 'price',
      descending: true,
      limit: 10,
      offset: 0,
    });
  });

  it('throws a NotFound domain error for an unknown id', async () => {
    await expect(service.get(5)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: 'product 5 not found',
    });
  });

  it('turns a unique violation from a racing insert into a Conflict', async () => {
    repo.failNextInsertWith = Object.assign(new Error('duplicate key'), { code: '23505' });
    const error: unknown = await service
      .create({ name: 'a', price: 1, external_id: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.Conflict);
  });

  it('lets other errors through untouched', async () => {
    repo.failNextInsertWith = new Error('disk full');
    await expect(service.create({ name: 'a', price: 1 })).rejects.toThrow('disk full');
  });

  it('PUT resets omitted optional fields; PATCH keeps them', async () => {
    const p = await service.create({ name: 'a', price: 1, description: 'd', external_id: 'e' });
    const patched = await service.patch(p.id, { price: 2 });
    expect(patched).toMatchObject({ description: 'd', externalId: 'e', price: 2 });
    const replaced = await service.replace(p.id, { name: 'b', price: 3 });
    expect(replaced).toMatchObject({ name: 'b', description: '', externalId: null, price: 3 });
  });
});
