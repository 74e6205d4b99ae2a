import { Logger } from '@nestjs/common';
import { parsePrometheus, sampleValue } from '../../test/helpers/prometheus';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(true));

  const scrape = async (metrics: MetricsService) => parsePrometheus(await metrics.scrape());

  it('keeps each app on its own registry, so two apps in one process do not collide', async () => {
    const a = new MetricsService();
    const b = new MetricsService();
    a.httpRequest('GET', '/products/:id', 200, 0.004);
    const labels = { method: 'GET', route: '/products/:id', status: '200' };
    expect(sampleValue(await scrape(a), 'http_request_duration_seconds_count', labels)).toBe(1);
    expect(sampleValue(await scrape(b), 'http_request_duration_seconds_count', labels)).toBe(
      undefined,
    );
    expect(
      sampleValue(await scrape(a), 'http_request_duration_seconds_bucket', {
        ...labels,
        le: '0.005',
      }),
    ).toBe(1);
  });

  it('reads the scrape-time numbers from the modules that own them', async () => {
    const metrics = new MetricsService();
    let clients = 2;
    metrics.readAtScrape('websocketClients', () => clients);
    metrics.readAtScrape('outboxBacklog', () => Promise.resolve(7));
    metrics.readAtScrape('jobs', () =>
      Promise.resolve([{ kind: 'rates.sync', state: 'succeeded', count: 3 }]),
    );
    let samples = await scrape(metrics);
    expect(sampleValue(samples, 'websocket_clients')).toBe(2);
    expect(sampleValue(samples, 'outbox_backlog')).toBe(7);
    expect(sampleValue(samples, 'jobs', { kind: 'rates.sync', state: 'succeeded' })).toBe(3);
    clients = 0;
    samples = await scrape(metrics);
    expect(sampleValue(samples, 'websocket_clients')).toBe(0);
  });

  it('still answers when a source fails: the backlog shows NaN and the job series are left out', async () => {
    const metrics = new MetricsService();
    metrics.readAtScrape('outboxBacklog', () => Promise.reject(new Error('database down')));
    metrics.readAtScrape('jobs', () => Promise.reject(new Error('database down')));
    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'outbox_backlog')).toBeNaN();
    expect(samples.filter((s) => s.name === 'jobs')).toEqual([]);
  });

  it('counts attempts by host and outcome and maps circuit states to 0, 1 and 2', async () => {
    const metrics = new MetricsService();
    metrics.upstreamAttempt('api.example.com', 'ok', 40);
    metrics.upstreamAttempt('api.example.com', 'ok', 60);
    metrics.upstreamAttempt('api.example.com', 'timeout', 5000);
    let samples = await scrape(metrics);
    const host = 'api.example.com';
    expect(sampleValue(samples, 'upstream_requests_total', { host, outcome: 'ok' })).toBe(2);
    expect(sampleValue(samples, 'upstream_requests_total', { host, outcome: 'timeout' })).toBe(1);
    expect(
      sampleValue(samples, 'upstream_request_duration_seconds_sum', { host, outcome: 'ok' }),
    ).toBeCloseTo(0.1);
    expect(sampleValue(samples, 'upstream_circuit_state', { host })).toBe(0);
    for (const [state, value] of [
      ['open', 2],
      ['half_open', 1],
      ['closed', 0],
      ['isolated', 2],
    ] as const) {
      metrics.upstreamCircuit(host, state);
      samples = await scrape(metrics);
      expect(sampleValue(samples, 'upstream_circuit_state', { host })).toBe(value);
    }
  });

  it('does not reset a known circuit state when a new host sees its first attempt', async () => {
    const metrics = new MetricsService();
    metrics.upstreamCircuit('down.example.com', 'open');
    metrics.upstreamAttempt('down.example.com', 'network_error', 3);
    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'upstream_circuit_state', { host: 'down.example.com' })).toBe(2);
  });
});
