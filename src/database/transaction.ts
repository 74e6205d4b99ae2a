import { EntityManager } from 'typeorm';

declare const opaque: unique symbol;

/**
 * A write transaction in progress, as services see it: they hand it from the TransactionRunner to
 * repositories and DomainEvents without knowing what it holds, so no service imports TypeORM.
 * Only the TypeORM repositories open it, through `managerOf`.
 */
export interface Transaction {
  readonly [opaque]: true;
}

export function managerOf(tx: Transaction): EntityManager {
  return tx as unknown as EntityManager;
}

export function transactionOf(manager: EntityManager): Transaction {
  return manager as unknown as Transaction;
}
