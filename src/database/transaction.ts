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

/** What a Transaction is inside the database module: one per run, never reused. */
export interface OpenTransaction {
  readonly manager: EntityManager;
  /** Work that must run last, just before COMMIT. */
  readonly closing: (() => Promise<void>)[];
  /** What waits for the COMMIT. */
  readonly committed: (() => void)[];
}

export function managerOf(tx: Transaction): EntityManager {
  return (tx as unknown as OpenTransaction).manager;
}

export function transactionOf(manager: EntityManager): Transaction {
  const open: OpenTransaction = { manager, closing: [], committed: [] };
  return open as unknown as Transaction;
}

export function openedTransaction(tx: Transaction): OpenTransaction {
  return tx as unknown as OpenTransaction;
}

/** Runs a write statement in `tx`; resolves with the rows it changed, as both drivers report it. */
export async function affectedBy(tx: Transaction, sql: string, params: unknown[]): Promise<number> {
  const runner = managerOf(tx).queryRunner;
  if (!runner) {
    throw new Error('a write runs inside a transaction');
  }
  const result = await runner.query(sql, params, true);
  return result.affected ?? 0;
}
