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

/** Writes, once per physical transaction and just before its COMMIT, what its runs gathered. */
export type BatchWriter<T> = (tx: Transaction, items: T[]) => Promise<void>;

/** What one run gathered for one writer. */
interface Gathered {
  writer: BatchWriter<unknown>;
  run: OpenTransaction;
  items: unknown[];
}

/** What a Transaction is inside the database module: one per run, never reused. */
export interface OpenTransaction {
  readonly manager: EntityManager;
  /** What waits for the COMMIT. */
  readonly committed: (() => void)[];
  /** On SQLite: statements prepared once on the connection the transaction is open on. */
  readonly statements?: SqliteStatements;
  /** What the runs sharing this physical transaction gathered: one array for all of them. */
  readonly gathered: Gathered[];
  /** Its work succeeded: what it gathered is due. */
  done: boolean;
}

export function managerOf(tx: Transaction): EntityManager {
  return (tx as unknown as OpenTransaction).manager;
}

/** A run's handle; with `shared`, one more run of the physical transaction `shared` is part of. */
export function transactionOf(
  manager: EntityManager,
  statements?: SqliteStatements,
  shared?: Transaction,
): Transaction {
  const gathered = shared ? openedTransaction(shared).gathered : [];
  const open: OpenTransaction = {
    manager,
    committed: [],
    statements,
    gathered,
    done: false,
  };
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

/** The run's work; once it succeeded, what the run gathered is due at the transaction's end. */
export async function runWork<T>(
  tx: Transaction,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const value = await work(tx);
  openedTransaction(tx).done = true;
  return value;
}

/** Adds `items` to what `writer` writes once for the physical transaction of `tx`. */
export function gather<T>(tx: Transaction, writer: BatchWriter<T>, items: T[]): void {
  const run = openedTransaction(tx);
  const found = run.gathered.find((g) => g.run === run && g.writer === writer);
  const into = found?.items ?? [];
  if (!found) {
    run.gathered.push({ writer: writer as BatchWriter<unknown>, run, items: into });
  }
  // a refresh gathers thousands: no spread of them as arguments
  for (const item of items) {
    into.push(item);
  }
}

/**
 * The last work of a physical transaction: each writer once, with the items of the runs that
 * succeeded in the order they ran (a run that failed was rolled back, and so is what it gathered).
 */
export async function writeGathered(tx: Transaction): Promise<void> {
  const { gathered } = openedTransaction(tx);
  const byWriter = new Map<BatchWriter<unknown>, unknown[]>();
  for (const { writer, run, items } of gathered.splice(0)) {
    if (run.done) {
      byWriter.set(writer, (byWriter.get(writer) ?? []).concat(items));
    }
  }
  for (const [writer, items] of byWriter) {
    await writer(tx, items);
  }
}

/** Committed: what was waiting for it, in the order it was registered. */
export function runCommitted(tx: Transaction): void {
  for (const hook of openedTransaction(tx).committed) {
    hook();
  }
}
