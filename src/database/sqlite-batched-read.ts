import { Database, OPEN_READONLY, Statement } from 'sqlite3';
import { DataSource } from 'typeorm';
import { databaseClosing } from './sqlite-statements';

/** Keys read by one statement at most: a batch stays one short statement. */
export const READ_BATCH_CAP = 100;

interface Waiter<Row> {
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Rows by key for the hottest read, on a read-only SQLite connection of its own, through one
 * statement prepared once. TypeORM prepares every query anew (~100 µs per call here, against
 * ~40 µs for a prepared statement), and its single connection is busy with write transactions
 * while a refresh_all runs; with WAL, a second connection reads the last committed state without
 * waiting for them.
 *
 * Reads are batched as writes are group-committed: a lookup that arrives while a statement is in
 * flight waits for it, and every lookup that waited goes in the next statement together
 * (`WHERE <key> IN (SELECT value FROM json_each(?))`). Each statement is a trip through libuv's
 * thread pool, and on a busy core that trip, not SQLite's work, is what a read costs; a lone
 * caller waits for nothing. The SQL takes one parameter, a JSON array of the keys.
 */
export class SqliteBatchedRead<Row> {
  private database?: Database;
  private statement?: Promise<Statement>;
  private queued = new Map<number, Waiter<Row>[]>();
  private inFlight = false;
  private closed = false;
  private runs = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: string,
    private readonly keyOf: (row: Row) => number,
  ) {}

  /** Must run before shutdown: SQLite refuses to close with live statements. */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = [...this.queued.values()].flat();
    this.queued.clear();
    waiting.forEach((waiter) => waiter.reject(databaseClosing()));
    const { statement, database } = this;
    this.statement = undefined;
    this.database = undefined;
    // sqlite3 runs a finalize after the statement's pending work: a batch in flight still ends
    const prepared = await statement?.catch(() => undefined);
    await new Promise<void>((resolve) =>
      prepared ? prepared.finalize(() => resolve()) : resolve(),
    );
    await new Promise<void>((resolve) =>
      database && prepared ? database.close(() => resolve()) : resolve(),
    );
  }

  /** Statements run so far (each one trip through the thread pool, for any number of keys). */
  get statementsRun(): number {
    return this.runs;
  }

  get(key: number): Promise<Row | undefined> {
    if (this.closed) {
      return Promise.reject(databaseClosing());
    }
    return new Promise((resolve, reject) => {
      const waiters = this.queued.get(key);
      if (waiters) {
        waiters.push({ resolve, reject });
      } else {
        this.queued.set(key, [{ resolve, reject }]);
      }
      if (!this.inFlight) {
        this.flush();
      }
    });
  }

  private flush(): void {
    const keys = [...this.queued.keys()].slice(0, READ_BATCH_CAP);
    const batch = keys.map((key) => [key, this.queued.get(key)!] as const);
    keys.forEach((key) => this.queued.delete(key));
    this.inFlight = true;
    this.runs++;
    const done = (error: Error | null, rows: Row[] = []) => {
      this.inFlight = false;
      const byKey = error ? undefined : new Map(rows.map((row) => [this.keyOf(row), row]));
      for (const [key, waiters] of batch) {
        for (const waiter of waiters) {
          if (byKey) {
            waiter.resolve(byKey.get(key));
          } else {
            waiter.reject(error);
          }
        }
      }
      if (this.queued.size > 0 && !this.closed) {
        this.flush();
      }
    };
    // all(), not get(): it steps to the end, which ends the statement's read transaction in the
    // same call (a statement stopped on a row holds a read transaction that keeps the WAL from
    // being checkpointed while writers go on)
    this.open().then(
      (statement) => statement.all([JSON.stringify(keys)], done),
      (error: Error) => done(error),
    );
  }

  /** The statement, prepared on first use; a failed preparation is tried again next time. */
  private open(): Promise<Statement> {
    if (!this.statement) {
      const file = this.dataSource.options.database as string;
      const database = new Database(file, OPEN_READONLY);
      database.configure('busyTimeout', 5000);
      this.database = database;
      this.statement = new Promise((resolve, reject) => {
        const statement = database.prepare(this.sql, (error: Error | null) => {
          if (!error) {
            resolve(statement);
            return;
          }
          this.statement = undefined;
          this.database = undefined;
          database.close(() => reject(error));
        });
      });
    }
    return this.statement;
  }
}
