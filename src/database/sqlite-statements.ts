import { Database, Statement } from 'sqlite3';

/** Worded as TypeORM's own error once closed, so it is classified alike (503, retry later). */
export function databaseClosing(): Error {
  return new Error('Connection is not established: the database is closing');
}

/**
 * Statements prepared once, on the sqlite3 handle TypeORM's one connection uses, so they run in
 * the transaction open on it. TypeORM prepares, runs and finalizes every query (~100 µs each
 * through its query runner); a prepared statement skips the parse and the runner's bookkeeping.
 */
export class SqliteStatements {
  private readonly prepared = new Map<string, Promise<Statement>>();
  private closed = false;

  constructor(private readonly database: Database) {}

  /** Runs `sql` and returns its rows (none for a statement without RETURNING). */
  async all<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const statement = await this.statement(sql);
    return new Promise((resolve, reject) =>
      // all() steps to the end and resets the statement, so none is left open at COMMIT; one
      // that failed (busy) stays in progress until reset, and SQLite refuses a SAVEPOINT then
      statement.all(params, (error: Error | null, rows: Row[]) =>
        error ? statement.reset(() => reject(error)) : resolve(rows),
      ),
    );
  }

  /** Runs statements without parameters or rows, several in one trip to sqlite3's thread pool. */
  exec(sql: string): Promise<void> {
    if (this.closed) {
      return Promise.reject(databaseClosing());
    }
    return new Promise((resolve, reject) =>
      this.database.exec(sql, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /** Must run before the connection closes: SQLite refuses to close with live statements. */
  async close(): Promise<void> {
    this.closed = true;
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(
      statements.map(async (pending) => {
        const statement = await pending.catch(() => undefined);
        await new Promise<void>((resolve) =>
          statement ? statement.finalize(() => resolve()) : resolve(),
        );
      }),
    );
  }

  private statement(sql: string): Promise<Statement> {
    if (this.closed) {
      return Promise.reject(databaseClosing());
    }
    let pending = this.prepared.get(sql);
    if (!pending) {
      // with a callback, a failed prepare rejects here instead of an 'error' event nobody hears
      pending = new Promise<Statement>((resolve, reject) => {
        const statement = this.database.prepare(sql, (error: Error | null) =>
          error ? reject(error) : resolve(statement),
        );
      });
      const mine = pending;
      this.prepared.set(sql, mine);
      mine.catch(() => this.prepared.get(sql) === mine && this.prepared.delete(sql));
    }
    return pending;
  }
}
