import { Transaction } from '../database/transaction';
import { Page } from '../common/pagination.dto';
import { Product } from './entities/product.entity';

export type ProductSortColumn = 'id' | 'name' | 'price' | 'createdAt' | 'updatedAt';

export interface ProductListFilter {
  q?: string;
  externalId?: string;
  sort: ProductSortColumn;
  descending: boolean;
  limit: number;
  offset: number;
}

export type NewProduct = Omit<Product, 'id'>;

/** What an upsert did to one external id. */
export type UpsertAction = 'created' | 'updated';

/**
 * The products store. Writes take a Transaction from the TransactionRunner, so a service
 * groups them with its outbox rows in one transaction.
 */
export abstract class ProductsRepository {
  abstract findById(id: number, tx?: Transaction): Promise<Product | null>;
  abstract list(filter: ProductListFilter): Promise<Page<Product>>;
  abstract findByExternalIds(tx: Transaction, externalIds: string[]): Promise<Product[]>;
  abstract countWithExternalId(): Promise<number>;
  /** Keyset page over products that have an external_id, in id order, after `afterId`. */
  abstract externalIdsAfter(
    afterId: number,
    limit: number,
  ): Promise<{ id: number; externalId: string }[]>;
  abstract insert(tx: Transaction, product: NewProduct): Promise<Product>;
  /**
   * Inserts the new, updates name/description/price/updated_at of the existing whose content
   * differs (one statement). Returns what it did per external id; an id it left alone (a
   * concurrent writer stored that same content first) is missing. `expectedExisting`: the ids the
   * caller saw stored — exact where writes are serialized (SQLite), a guess elsewhere.
   */
  abstract upsertByExternalId(
    tx: Transaction,
    products: NewProduct[],
    expectedExisting: ReadonlySet<string>,
  ): Promise<Map<string, UpsertAction>>;
  abstract update(tx: Transaction, product: Product): Promise<Product>;
  abstract delete(tx: Transaction, id: number): Promise<void>;
}
