import { Database } from 'sqlite3';
import { expectDatabaseUnavailable } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

/**
 * An SQLite file another process keeps locked for writing past the busy timeout (5 s). A
 * `.sqlite` spec: it runs in the SQLite pass only (PostgreSQL has no such lock to hold).
 */
describe('Writes while another process holds the SQLite write lock', () => {
  let database: TestDatabase;
  let t: TestApp;
  let other: Database;

  const run = (sql: string) =>
    new Promise<void>((resolve, reject) =>
      other.run(sql, (error: Error | null) => (error ? reject(error) : resolve())),
    );

  beforeAll(async () => {
    database = await createTestDatabase('sqlite:');
    t = await startTestApp({}, database);
    other = new Database(database.url.slice('sqlite:'.length));
  });
  afterAll(async () => {
    await new Promise((resolve) => other.close(resolve));
    await t.close();
    await database.drop();
  });

  it('answers 503 with Retry-After once the busy timeout passes, writes nothing; reads go on', async () => {
    await run('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const res = await t.http.post('/products').send({ name: 'while locked', price: 1 });
      expectDatabaseUnavailable(res, '/products');
      // it waited for the lock first (busy timeout), it did not fail at once
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
      // WAL: readers are not blocked by the other writer
      await t.http.get('/products').expect(200);
    } finally {
      await run('ROLLBACK');
    }
  });

  it('takes writes again once the lock is released; the refused write left nothing behind', async () => {
    await t.http.post('/products').send({ name: 'after the lock', price: 2 }).expect(201);
    const names = (await t.http.get('/products').expect(200)).body.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(['after the lock']);
  });
});
