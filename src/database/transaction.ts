import { EntityManager } from 'typeorm';
import { SqliteStatements } from './sqlite-statements';

declare const opaque: unique symbol;

/**
 * A write transaction in progress, as services see it: they hand it from the TransactionRunner to
 * repositories and DomainEvents without knowing what it holds, so no service imports TypeORM.
 * Only the TypeORM repositories open it, through `managerOf` (or `hotQuery`).
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
  /** On SQLite: statements prepared once on the connection the transaction is open on. */
  readonly statements?: SqliteStatements;
}

export function managerOf(tx: Transaction): EntityManager {
  return (tx as unknown as OpenTransaction).manager;
}

export function transactionOf(manager: EntityManager, statements?: SqliteStatements): Transaction {
  const open: OpenTransaction = { manager, closing: [], committed: [], statements };
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

/**
 * A statement of the hot write path, inside `tx`. On SQLite it runs as a statement prepared once
 * on TypeORM's own connection (TypeORM's query runner prepares and finalizes every query, ~100 µs
 * of a write's serial chain); elsewhere through the transaction's manager. `sql` must be a
 * constant text, since each distinct one stays prepared until shutdown; it returns the rows
 * (of a RETURNING clause; none for a plain INSERT).
 */
export function hotQuery<Row>(tx: Transaction, sql: string, params: unknown[]): Promise<Row[]> {
  const { statements, manager } = openedTransaction(tx);
  return statements ? statements.all<Row>(sql, params) : manager.query<Row[]>(sql, params);
}

/** The run's work, then what must run last in its transaction, in the order it was registered. */
export async function workThenClose<T>(
  tx: Transaction,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const value = await work(tx);
  for (const last of openedTransaction(tx).closing) {
    await last();
  }
  return value;
}

/** Committed: what was waiting for it, in the order it was registered. */
export function runCommitted(tx: Transaction): void {
  for (const hook of openedTransaction(tx).committed) {
    hook();
  }
}
