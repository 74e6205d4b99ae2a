import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnApp, waitForHttp } from './helpers/spawn-app';
import { threadNiceValues } from './helpers/thread-nice';

describe('Starting the built service', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-start-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a missing SQLite folder, runs migrations and serves /docs and the CRUD', async () => {
    const file = join(dir, 'nested', 'data', 'app.db');
    const app = spawnApp({ DATABASE_URL: `sqlite:${file}` }, await freePort());
    try {
      await waitForHttp(`${app.baseUrl}/docs`, 20_000, app);
      expect((await fetch(`${app.baseUrl}/docs`)).status).toBe(200);
      const created = await fetch(`${app.baseUrl}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'first', price: 1 }),
      });
      expect(created.status).toBe(201);
      expect((await stat(file)).isFile()).toBe(true);
      expect((await stat(`${file}-wal`)).isFile()).toBe(true); // WAL mode is on
    } finally {
      await app.stop();
    }
  });

  it.each([
    ['10', '10'],
    ['0 (the default)', undefined],
  ])(
    'puts the runtime helper threads at nice %s, never the event loop or the pool that serves requests',
    async (_nice, setting) => {
      const env: Record<string, string> = {
        DATABASE_URL: `sqlite:${join(dir, `nice-${setting ?? 'default'}.db`)}`,
      };
      if (setting !== undefined) {
        env.HELPER_THREADS_NICE = setting;
      }
      const app = spawnApp(env, await freePort());
      try {
        await waitForHttp(`${app.baseUrl}/health`, 20_000, app);
        // SQLite reads run on libuv's pool, which starts on first use, after the lowering
        expect((await fetch(`${app.baseUrl}/products`)).status).toBe(200);
        const pid = app.child.pid as number;
        const nice = threadNiceValues(pid);
        expect(nice.get(pid)).toBe(0);
        const lowered = [...nice.values()].filter((n) => n === 10).length;
        const normal = [...nice.keys()].filter((tid) => tid !== pid && nice.get(tid) === 0).length;
        if (setting === '10') {
          // V8's platform workers (4 by default) and Node's watchdog threads
          expect(lowered).toBeGreaterThanOrEqual(4);
          expect(app.output()).toContain(
            `${lowered} runtime helper threads (garbage collection) at nice 10`,
          );
          // libuv's pool: 4 threads by default
          expect(normal).toBeGreaterThanOrEqual(4);
        } else {
          // the upstream worker thread lowers itself (19), whatever this setting says
          expect([...nice.values()].filter((n) => n !== 0 && n !== 19)).toHaveLength(0);
          expect(app.output()).not.toContain('runtime helper threads');
        }
      } finally {
        await app.stop();
      }
    },
  );

  it.each([
    [
      'PORT',
      'eighty',
      /^Invalid configuration: PORT must be an integer between 0 and 65535 \(got "eighty"\)$/m,
    ],
    [
      'DATABASE_URL',
      'mysql://db',
      /^Invalid configuration: DATABASE_URL must be sqlite:<path> or postgres:/m,
    ],
    [
      'EXTERNAL_CONCURRENCY',
      '-3',
      /^Invalid configuration: EXTERNAL_CONCURRENCY must be an integer/m,
    ],
  ])('stops with exit code 1 and one clear line when %s is %j', async (name, value, expected) => {
    const app = spawnApp(
      { DATABASE_URL: `sqlite:${join(dir, 'bad.db')}`, [name]: value },
      await freePort(),
    );
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(expected);
    expect(app.output()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
