import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';
import { READ_BATCH_CAP, SqliteBatchedRead } from './sqlite-batched-read';

interface Row {
  id: number;
  name: string;
}

const SQL = 'SELECT id, name FROM items WHERE id IN (SELECT value FROM json_each(?))';

describe('SqliteBatchedRead: rows by key, the lookups that wait sharing one statement', () => {
  let dir: string;
  let file: string;
  const reads: SqliteBatchedRead<Row>[] = [];
  const read = (sql = SQL) => {
    const r = new SqliteBatchedRead<Row>(
      { options: { database: file } } as unknown as DataSource,
      sql,
      (row) => row.id,
    );
    reads.push(r);
    return r;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'batched-read-'));
    file = join(dir, 'db.sqlite');
    const db = new Database(file);
    await new Promise<void>((resolve, reject) =>
      db.exec(
        'PRAGMA journal_mode = WAL; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);' +
          Array.from(
            { length: 300 },
            (_, i) => `INSERT INTO items VALUES (${i + 1}, 'n${i + 1}');`,
          ).join(''),
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    await new Promise<void>((resolve) => db.close(() => resolve()));
  });
  afterAll(async () => {
    await Promise.all(reads.map((r) => r.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each caller with its own row, or undefined for a key with none', async () => {
    const r = read();
    expect(await r.get(7)).toEqual({ id: 7, name: 'n7' });
    expect(await r.get(999)).toBeUndefined();
  });

  it('serves a burst of lookups, repeated keys and missing ones among them, in a few statements', async () => {
    const r = read();
    const keys = Array.from({ length: 250 }, (_, i) => (i % 5 === 0 ? 1000 + i : (i % 120) + 1));
    const rows = await Promise.all(keys.map((key) => r.get(key)));
    expect(rows).toEqual(
      keys.map((key) => (key <= 300 ? { id: key, name: `n${key}` } : undefined)),
    );
    // the first goes alone; the others waited for it and went in batches of at most the cap
    const distinct = new Set(keys.slice(1)).size;
    expect(r.statementsRun).toBe(1 + Math.ceil(distinct / READ_BATCH_CAP));
  });

  it('fails every lookup of a statement that fails, and the next lookups too, without hanging', async () => {
    const r = read(
      'SELECT id, name FROM no_such_table WHERE id IN (SELECT value FROM json_each(?))',
    );
    const outcomes = await Promise.allSettled([r.get(1), r.get(2), r.get(3)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/no such table/);
    // nothing hangs after it: the statement is prepared again for the next lookup
    await expect(r.get(4)).rejects.toThrow(/no such table/);
  });

  it('after close, refuses lookups (and those still queued) as the database closing', async () => {
    const r = read();
    const first = r.get(1);
    const queued = r.get(2);
    const closing = r.close();
    await expect(first).resolves.toEqual({ id: 1, name: 'n1' });
    await expect(queued).rejects.toThrow('the database is closing');
    await closing;
    await expect(r.get(3)).rejects.toThrow('the database is closing');
  });
});
