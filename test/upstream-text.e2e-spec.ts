import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { jobEnd, seedProducts } from './helpers/jobs';
import { startTestApp, TestApp } from './helpers/test-app';

interface ResultBody {
  external_id: string;
  status: string;
  product: { name: string; description: string } | null;
  error: string | null;
}

const LONG_TITLE = 'x'.repeat(256);

describe('Upstream text is cleaned, not trusted (both engines)', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  const stored = async (externalId: string) =>
    (
      await t.dataSource.query<{ name: string; description: string }[]>(
        `SELECT name, description FROM products WHERE external_id = ${t.dataSource.options.type === 'sqlite' ? '?' : '$1'}`,
        [externalId],
      )
    )[0];
  const fetchIds = (ids: unknown[]) =>
    t.http.post('/products/fetch_external').send({ external_ids: ids });
  const byId = (results: ResultBody[]) => new Map(results.map((r) => [r.external_id, r]));

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_RETRIES: '0',
      EXTERNAL_BREAKER_THRESHOLD: '100000',
    });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });
  beforeEach(async () => {
    upstream.reset();
    await t.dataSource.query('DELETE FROM products');
  });

  it('stores names without control characters, fails only the ids whose name is then empty or too long', async () => {
    upstream.set({
      overrides: new Map([
        ['1', { title: 'Nul\u0000 in the title' }],
        ['2', { title: '\u0007Bell, DEL\u007f and C1\u009f' }],
        ['3', { title: '\u0000\u0007\u007f\u009f' }],
        ['4', { title: `${LONG_TITLE}\u0000` }],
        ['5', { title: 'Fine', description: 'line 1\n\tline 2\u0000\u001b\u0085 end' }],
      ]),
    });
    const res = await fetchIds([1, 2, 3, 4, 5, 6]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ requested: 6, created: 4, failed: 2 });
    const results = byId(res.body.results as ResultBody[]);
    expect(results.get('1')).toMatchObject({
      status: 'created',
      product: { name: 'Nul in the title' },
    });
    expect(results.get('3')).toEqual({
      external_id: '3',
      status: 'failed',
      product: null,
      error: 'upstream title is empty once control characters are removed',
    });
    expect(results.get('4')).toMatchObject({
      status: 'failed',
      error:
        'upstream title is 256 characters long once control characters are removed (at most 255)',
    });
    expect(await stored('1')).toMatchObject({ name: 'Nul in the title' });
    expect(await stored('2')).toMatchObject({ name: 'Bell, DEL and C1' });
    expect(await stored('3')).toBeUndefined();
    expect(await stored('4')).toBeUndefined();
    expect(await stored('5')).toEqual({ name: 'Fine', description: 'line 1\n\tline 2 end' });
    expect(await stored('6')).toMatchObject({ name: 'Product 6' });
    // one upstream request each: a refused body is an answer, not a failure worth retrying
    expect(upstream.stats.byPath.get('/products/3')).toBe(1);
  });

  it('writes the other 149 ids of two batches when one title carries NUL', async () => {
    upstream.set({ overrides: new Map([['50', { title: 'Batch\u0000mate' }]]) });
    const ids = Array.from({ length: 150 }, (_, i) => i + 1);
    const res = await fetchIds(ids);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ requested: 150, created: 150, failed: 0 });
    expect(await stored('50')).toMatchObject({ name: 'Batchmate' });
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM products');
    expect(Number(n)).toBe(150);
  });

  it('refresh_all does not fail its page: the bad ids fail, the rest of the page is updated', async () => {
    await seedProducts(t.dataSource, 300);
    upstream.set({
      overrides: new Map([
        ['10', { title: 'Ten\u0000' }],
        ['20', { title: '\u0000' }],
        ['250', { title: LONG_TITLE }],
      ]),
    });
    const started = await t.http.post('/products/refresh_all');
    expect(started.status).toBe(202);
    const job = await jobEnd(t, started.body.status_url, { what: 'refresh end' });
    expect(job).toMatchObject({
      state: 'partially_failed',
      total: 300,
      processed: 300,
      updated: 298,
      failed: 2,
    });
    expect(job.errors).toEqual([
      'external_id 20: upstream title is empty once control characters are removed',
      'external_id 250: upstream title is 256 characters long once control characters are removed (at most 255)',
    ]);
    expect(await stored('10')).toMatchObject({ name: 'Ten' });
    expect(await stored('20')).toMatchObject({ name: 'stale name' });
    expect(await stored('21')).toMatchObject({ name: 'Product 21' });
  });

  it('when the database still refuses one row, only that id fails and its batch is written', async () => {
    const sqlite = t.dataSource.options.type === 'sqlite';
    // a rule the cleaning knows nothing of, as an operator might add one
    await t.dataSource.query(
      sqlite
        ? "CREATE TRIGGER e2e_refuse BEFORE INSERT ON products WHEN NEW.name = 'Product 7' BEGIN SELECT RAISE(ABORT, 'refused by e2e_refuse'); END"
        : "ALTER TABLE products ADD CONSTRAINT e2e_refuse CHECK (name <> 'Product 7')",
    );
    try {
      const res = await fetchIds([5, 6, 7, 8]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ requested: 4, created: 3, failed: 1 });
      const seven = byId(res.body.results as ResultBody[]).get('7');
      expect(seven).toMatchObject({ status: 'failed', product: null });
      expect(seven?.error).toMatch(/^the database refused it: .*e2e_refuse/);
      expect(await stored('7')).toBeUndefined();
      expect(await stored('8')).toMatchObject({ name: 'Product 8' });
    } finally {
      await t.dataSource.query(
        sqlite ? 'DROP TRIGGER e2e_refuse' : 'ALTER TABLE products DROP CONSTRAINT e2e_refuse',
      );
    }
  });
});
