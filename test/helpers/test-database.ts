import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The PostgreSQL server of the e2e suite, for the `.pg` specs (about that engine only). */
export const POSTGRES_BASE = process.env.DATABASE_URL?.startsWith('postgres')
  ? process.env.DATABASE_URL
  : 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file, on the engine that DATABASE_URL names:
 * `sqlite:` → a new file in the temp folder; `postgres://…/db` → a new database on that server.
 * A spec about one engine passes its own `base` (e.g. the PostgreSQL server for many instances).
 */
export async function createTestDatabase(
  base = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? 'sqlite:',
): Promise<TestDatabase> {
  const name = `e2e_${Date.now()}_${randomBytes(4).toString('hex')}`;
  if (!base.startsWith('postgres')) {
    const file = join(tmpdir(), `catalog-rates-${name}.db`);
    return {
      url: `sqlite:${file}`,
      drop: async () => {
        await Promise.all(
          ['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })),
        );
      },
    };
  }
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
