import { pbkdf2 } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';
import { ReadConnection } from './read-connection';
import { SqlDialect } from './sql-dialect';

/** CPU-bound for a few hundred milliseconds inside SQLite, on a thread of libuv's pool. */
const SLOW = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
  SELECT COUNT(*) AS n FROM c`;

describe('ReadConnection on SQLite', () => {
  let dir: string;
  let reads: ReadConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-connection-'));
    const file = join(dir, 'db.sqlite');
    const db = new Database(file);
    await new Promise<void>((resolve, reject) =>
      db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY)', (error) =>
        error ? reject(error) : db.close(() => resolve()),
      ),
    );
    reads = new ReadConnection(
      { options: { database: file } } as unknown as DataSource,
      { postgres: false } as SqlDialect,
    );
    await reads.query('SELECT 1');
  });
  afterAll(async () => {
    await reads.onModuleDestroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers statements sent together in the order they were sent, an error only its own', async () => {
    const answers = await Promise.allSettled([
      reads.query<{ n: number }>('SELECT 1 AS n'),
      reads.query('SELECT * FROM no_such_table'),
      reads.query<{ n: number }>('SELECT 3 AS n'),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(answers[2]).toEqual({ status: 'fulfilled', value: [{ n: 3 }] });
  });

  it("keeps statements waiting for the connection off libuv's threads, which other work needs", async () => {
    const order: string[] = [];
    const slow = Array.from({ length: 4 }, (_, i) =>
      reads.query(SLOW).then(() => order.push(`read ${i}`)),
    );
    // any thread-pool work: with the four reads each holding a thread, it would wait for the first
    await new Promise((resolve) => pbkdf2('x', 'y', 1, 8, 'sha256', resolve));
    order.push('thread pool');
    await Promise.all(slow);
    expect(order).toEqual(['thread pool', 'read 0', 'read 1', 'read 2', 'read 3']);
  });
});
