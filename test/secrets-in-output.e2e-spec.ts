import { pollUntil } from './helpers/poll';
import { createTestDatabase, TestDatabase } from './helpers/test-database';
import { freePort, spawnApp, SpawnedApp, waitForHttp } from './helpers/spawn-app';

/** The built app's whole output (stdout and stderr) once it has exited. */
async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const app = spawnApp({ DATABASE_URL: 'sqlite:', LOG_LEVEL: 'info', ...env }, await freePort());
  const code = await app.exited;
  return { code, output: app.output() };
}

describe('Secrets never in the output of a failed start', () => {
  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'mysql://admin:hunter2@db/x' }, ['hunter2']],
    ['API_KEYS', { API_KEYS: 'k1,s3cr3t key' }, ['s3cr3t']],
    [
      'NATS_PASSWORD',
      { NATS_URL: 'nats://127.0.0.1:4222', NATS_PASSWORD: 'natspw-1' },
      ['natspw-1'],
    ],
    [
      'NATS_TOKEN',
      {
        NATS_URL: 'nats://127.0.0.1:4222',
        NATS_TOKEN: 'tok-1',
        NATS_USER: 'app',
        NATS_PASSWORD: 'pw-2',
      },
      ['tok-1', 'pw-2'],
    ],
  ])('a bad %s is named, its value not shown', async (name, env, secrets) => {
    const { code, output } = await failedStart(env);
    expect(code).toBe(1);
    expect(output).toMatch(
      new RegExp(`Invalid configuration: .*${name} .*the value is a secret and is not shown`),
    );
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
    }
  });

  it('a PostgreSQL URL that passes the check but cannot connect: the driver errors, without the password', async () => {
    const nothing = await freePort();
    for (const url of [
      `postgres://app:hunter2@127.0.0.1:${nothing}/catalog`,
      'postgres://app:hunter2@db:notaport/catalog',
    ]) {
      const { code, output } = await failedStart({ DATABASE_URL: url });
      expect({ url, code }).toEqual({ url, code: 1 });
      expect(output).toMatch(/Unable to connect to the database/);
      expect(output).not.toContain('hunter2');
    }
  });
});

describe('URLs in the logs of a running app', () => {
  let database: TestDatabase;
  let app: SpawnedApp;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop();
    await database.drop();
  });

  it('NATS and upstream URLs are logged without their user info', async () => {
    const nothing = await freePort();
    app = spawnApp(
      {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        NATS_URL: `nats://natsuser:natspw-9@127.0.0.1:${nothing}`,
        EXTERNAL_API_URL: `http://produser:prodpw-7@127.0.0.1:${nothing}`,
      },
      await freePort(),
    );
    await waitForHttp(`${app.baseUrl}/health/ready`, 30_000, app);
    // an import against the unreachable upstream (a 502) logs the URL it tried
    await fetch(`${app.baseUrl}/products/fetch_external`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ external_ids: [1] }),
    });
    await pollUntil(
      async () => app.output(),
      (output) => /NATS not reachable yet/.test(output) && /upstream call/.test(output),
      { what: 'a NATS line and an upstream line in the logs', everyMs: 100 },
    );
    expect(app.output()).toContain(`127.0.0.1:${nothing}`);
    expect(app.output()).not.toMatch(/natspw-9|prodpw-7|natsuser|produser/);
  });
});
