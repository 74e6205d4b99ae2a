import { Parser } from '@asyncapi/parser';
import { DOMAIN_EVENT_NAMES } from '../src/gateway/domain-event-list';
import { expectErrorShape } from './helpers/error-shape';
import { schemaProblems } from './helpers/json-schema-check';
import { pollUntil } from './helpers/poll';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

describe('The event catalog at /asyncapi.json', () => {
  let t: TestApp;

  beforeAll(async () => {
    // NATS configured with credentials (and unreachable): the catalog names the host, never the password
    t = await startTestApp({ API_TYPE: 'mock', NATS_URL: 'nats://reader:s3cret@127.0.0.1:1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves a valid AsyncAPI 3 document listing every event of the typed event map', async () => {
    const res = await t.http.get('/asyncapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { document, diagnostics } = await new Parser().parse(res.text);
    expect(diagnostics.filter((d) => Number(d.severity) === 0).map((d) => d.message)).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
    const names = document!
      .allMessages()
      .all()
      .map((m) => m.name());
    expect(names).toEqual(expect.arrayContaining(DOMAIN_EVENT_NAMES));
    expect(
      document!
        .channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual(['/ws/items', 'items.updates', 'products.updates']);
  });

  it('names the NATS host without the credentials of NATS_URL', async () => {
    const res = await t.http.get('/asyncapi.json/').expect(200);
    expect(res.body.servers.nats.host).toBe('127.0.0.1:1');
    expect(res.text).not.toContain('s3cret');
  });

  it('describes every event exactly as the service sends it (each real envelope fits its schema)', async () => {
    const catalog = (await t.http.get('/asyncapi.json').expect(200)).body;
    const client = await TestWsClient.connect(t.baseUrl);
    try {
      // one of each event: products and items CRUD, then a rates sync (job.started, rates.synced, job.finished)
      const product = (await t.http.post('/products').send({ name: 'cat', price: 1 }).expect(201))
        .body;
      await t.http.patch(`/products/${product.id}`).send({ price: 2 }).expect(200);
      await t.http.delete(`/products/${product.id}`).expect(204);
      const item = (
        await t.http.post('/items').send({ code: 'CAT', base: 'USD', rate: 1.5 }).expect(201)
      ).body;
      await t.http.patch(`/items/${item.id}`).send({ rate: 1.6 }).expect(200);
      await t.http.delete(`/items/${item.id}`).expect(204);
      const job = (await t.http.post('/tasks/run').expect(202)).body;
      await pollUntil(
        async () => (await t.http.get(`/tasks/${job.job_id}`)).body.state,
        (state) => state !== 'running',
        { what: 'rates sync end' },
      );
      await client.next((f) => f.event === 'job.finished');

      const envelopes = client.frames.filter((f) => f.event !== 'welcome');
      expect([...new Set(envelopes.map((f) => f.event))].sort()).toEqual(
        [...DOMAIN_EVENT_NAMES].sort(),
      );
      const { messages, schemas } = catalog.components;
      const problems = envelopes.flatMap((envelope) =>
        schemaProblems(envelope, messages[envelope.event].payload, schemas, envelope.event),
      );
      expect(problems).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('is linked from the Swagger description at /docs', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    expect(docs.info.description).toContain('(/asyncapi.json)');
    expect(docs.info.description).toContain('(/live)');
    expect(docs.paths['/asyncapi.json'].get).toBeDefined();
    expect(docs.components.schemas.RatesSyncedDto).toBeDefined();
  });

  it('answers a wrong path under it with the error shape', async () => {
    expectErrorShape(await t.http.get('/asyncapi.json/extra'), 404);
  });
});
