import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { TestNatsServer } from './helpers/nats-server';
import { pollUntil } from './helpers/poll';
import { parsePrometheus, Sample, sampleValue } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

const BREAKER_THRESHOLD = 3;

describe('GET /metrics', () => {
  let nats: TestNatsServer;
  let upstream: FakeUpstream;
  let t: TestApp;
  let host: string;

  const scrape = async (): Promise<Sample[]> => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    return parsePrometheus(res.text);
  };
  /** A sample's value in a scrape; 0 when the series does not exist (yet). */
  const valueIn = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    sampleValue(samples, name, labels) ?? 0;
  const value = async (name: string, labels: Record<string, string> = {}) =>
    valueIn(await scrape(), name, labels);
  const createProduct = async (name: string) => {
    const res = await t.http.post('/products').send({ name, price: 1 });
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    upstream = await startFakeUpstream();
    host = new URL(upstream.url).host;
    t = await startTestApp({
      NATS_URL: nats.url,
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_RETRIES: '0',
      EXTERNAL_BREAKER_THRESHOLD: String(BREAKER_THRESHOLD),
      // once open, the circuit stays open for the rest of this file
      EXTERNAL_BREAKER_COOLDOWN_MS: '600000',
      API_TYPE: 'mock',
    });
  });
  afterAll(async () => {
    nats.resume();
    await t.close();
    await upstream.close();
    await nats.stop();
  });

  it('answers Prometheus text with every named series and the process metrics', async () => {
    // a request first, so the request histogram has a series to show
    await t.http.get('/health');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    const [type, ...params] = String(res.headers['content-type']).split(/;\s*/);
    expect(type).toBe('text/plain');
    expect(params.sort()).toEqual(['charset=utf-8', 'version=0.0.4']);
    for (const [name, type] of [
      ['http_request_duration_seconds', 'histogram'],
      ['upstream_requests_total', 'counter'],
      ['upstream_request_duration_seconds', 'histogram'],
      ['upstream_circuit_state', 'gauge'],
      ['websocket_clients', 'gauge'],
      ['outbox_backlog', 'gauge'],
      ['outbox_publish_failures_total', 'counter'],
      ['jobs', 'gauge'],
      ['process_cpu_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
      ['nodejs_heap_size_used_bytes', 'gauge'],
    ]) {
      expect(res.text).toContain(`# TYPE ${name} ${type}\n`);
    }
    const samples = parsePrometheus(res.text);
    expect(
      valueIn(samples, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueIn(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('times requests by method, route pattern and status; raw URLs never become labels', async () => {
    const { id } = await createProduct('timed');
    const count = (samples: Sample[], method: string, route: string, status: number) =>
      valueIn(samples, 'http_request_duration_seconds_count', {
        method,
        route,
        status: String(status),
      });
    const before = await scrape();

    expect((await t.http.get(`/products/${id}`)).status).toBe(200);
    expect((await t.http.get(`/products/${id}/`)).status).toBe(200);
    expect((await t.http.get('/products/999999')).status).toBe(404);
    expect((await t.http.get('/products/abc')).status).toBe(400);
    await createProduct('another');
    expect((await t.http.get('/no/such/path/42')).status).toBe(404);
    const malformed = await t.http
      .post('/products')
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(malformed.status).toBe(400);

    const after = await scrape();
    const moved = (method: string, route: string, status: number) =>
      count(after, method, route, status) - count(before, method, route, status);
    expect(moved('GET', '/products/:id', 200)).toBe(2);
    expect(moved('GET', '/products/:id', 404)).toBe(1);
    expect(moved('GET', '/products/:id', 400)).toBe(1);
    expect(moved('POST', '/products', 201)).toBe(1);
    // no route took these: an unknown path, and a body refused before routing
    expect(moved('GET', 'unmatched', 404)).toBe(1);
    expect(moved('POST', 'unmatched', 400)).toBe(1);

    const sum = (samples: Sample[]) =>
      valueIn(samples, 'http_request_duration_seconds_sum', {
        method: 'GET',
        route: '/products/:id',
        status: '200',
      });
    expect(sum(after)).toBeGreaterThan(sum(before));
    const routes = new Set(
      after.filter((s) => s.name.startsWith('http_request_')).map((s) => s.labels.route),
    );
    expect([...routes].filter((r) => /\d|abc/.test(r))).toEqual([]);
  });

  it('counts WebSocket clients as they connect and leave', async () => {
    const before = await value('websocket_clients');
    const a = await TestWsClient.connect(t.baseUrl);
    const b = await TestWsClient.connect(t.baseUrl);
    try {
      expect(await value('websocket_clients')).toBe(before + 2);
      a.close();
      await pollUntil(
        () => value('websocket_clients'),
        (n) => n === before + 1,
        { deadlineMs: 10_000, what: 'websocket_clients after one client left' },
      );
    } finally {
      a.close();
      b.close();
    }
    await pollUntil(
      () => value('websocket_clients'),
      (n) => n === before,
      { deadlineMs: 10_000, what: 'websocket_clients after both left' },
    );
  });

  it('counts jobs by kind and state from the jobs table', async () => {
    const labels = { kind: 'rates.sync', state: 'succeeded' };
    const before = await value('jobs', labels);
    const started = await t.http.post('/tasks/run');
    expect(started.status).toBe(202);
    const job = await pollUntil(
      async () => (await t.http.get(`/tasks/${started.body.job_id}`)).body as { state: string },
      (j) => j.state !== 'running',
      { deadlineMs: 20_000, what: 'the rates sync to finish' },
    );
    expect(job.state).toBe('succeeded');
    expect(await value('jobs', labels)).toBe(before + 1);
    expect(await value('jobs', { kind: 'rates.sync', state: 'running' })).toBe(0);
  });

  it('shows the outbox backlog while NATS does not confirm, counts the failures, then drains', async () => {
    await pollUntil(
      () => value('outbox_backlog'),
      (n) => n === 0,
      { deadlineMs: 20_000, what: 'an empty outbox before the outage' },
    );
    const failuresBefore = await value('outbox_publish_failures_total');
    nats.pause();
    try {
      for (const name of ['held-1', 'held-2', 'held-3']) {
        await createProduct(name);
      }
      // the relay's flush goes unconfirmed (2 s), counts a failure, and keeps the rows
      const samples = await pollUntil(
        scrape,
        (s) =>
          valueIn(s, 'outbox_backlog') >= 3 &&
          valueIn(s, 'outbox_publish_failures_total') > failuresBefore,
        { deadlineMs: 20_000, what: 'a backlog and a counted publish failure' },
      );
      expect(valueIn(samples, 'outbox_backlog')).toBeGreaterThanOrEqual(3);
    } finally {
      nats.resume();
    }
    await pollUntil(
      () => value('outbox_backlog'),
      (n) => n === 0,
      { deadlineMs: 30_000, what: 'the backlog to drain once NATS answers again' },
    );
    expect(await value('outbox_publish_failures_total')).toBeGreaterThan(failuresBefore);
  });

  // last: the circuit it opens stays open for the rest of the file
  it('counts outbound calls by host and outcome, and shows the circuit opening', async () => {
    const before = await scrape();
    upstream.set({ maxProductId: 1000, faults: new Map([['7', 500]]) });
    const res = await t.http
      .post('/products/fetch_external')
      .send({ external_ids: [1, 2, 5000, 7] });
    expect(res.status).toBe(200);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      valueIn(after, name, labels) - valueIn(before, name, labels);
    // a 404 is an answer (the id is gone upstream), not a failed call
    expect(moved('upstream_requests_total', { host, outcome: 'ok' })).toBe(3);
    expect(moved('upstream_requests_total', { host, outcome: 'server_error' })).toBe(1);
    expect(moved('upstream_request_duration_seconds_count', { host, outcome: 'ok' })).toBe(3);
    expect(valueIn(after, 'upstream_circuit_state', { host })).toBe(0);

    upstream.set({ faultAll: 503 });
    const failing = await t.http
      .post('/products/fetch_external')
      .send({ external_ids: [11, 12, 13, 14, 15, 16] });
    expect([502, 503]).toContain(failing.status);
    const open = await pollUntil(
      scrape,
      (s) => valueIn(s, 'upstream_circuit_state', { host }) === 2,
      { deadlineMs: 10_000, what: 'the circuit to show open' },
    );
    expect(
      valueIn(open, 'upstream_requests_total', { host, outcome: 'server_error' }) -
        valueIn(after, 'upstream_requests_total', { host, outcome: 'server_error' }),
    ).toBeGreaterThanOrEqual(BREAKER_THRESHOLD);
    // while open, calls are refused without reaching the host: no new attempts are counted
    const refused = await t.http.post('/products/fetch_external').send({ external_ids: [21] });
    expect(refused.status).toBe(503);
    expect(await value('upstream_requests_total', { host, outcome: 'server_error' })).toBe(
      valueIn(open, 'upstream_requests_total', { host, outcome: 'server_error' }),
    );
  });
});
