import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Numbers that live elsewhere (a table, a socket list) and are read when Prometheus scrapes. */
export interface ScrapeSources {
  websocketClients: () => number;
  outboxBacklog: () => Promise<number>;
  outboxSetAside: () => Promise<number>;
  jobs: () => Promise<{ kind: string; state: string; count: number }[]>;
}

/** Circuit states as gauge values; an isolated circuit refuses calls like an open one. */
const CIRCUIT_VALUES: Record<string, number> = {
  closed: 0,
  half_open: 1,
  open: 2,
  isolated: 2,
};

/** Requests are fast (a cached read takes a millisecond or so); outbound calls wait on a network. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface UpstreamSeries {
  count: { inc(): void };
  duration: { observe(seconds: number): void };
}

/**
 * The service's Prometheus metrics, on a registry of this app's own (not prom-client's global
 * one, so several apps in one process keep apart). Modules report through the methods here and
 * never touch prom-client themselves.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly sources: Partial<ScrapeSources> = {};

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status (route "unmatched" when no route matched)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  /** Its series by method, status and route, looked up once (prom-client hashes labels). */
  private readonly httpSeries = new Map<string, { observe(seconds: number): void }>();

  private readonly upstreamRequests = new Counter({
    name: 'upstream_requests_total',
    help: 'Outbound HTTP attempts by upstream host and outcome',
    labelNames: ['host', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly upstreamDuration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Duration of outbound HTTP attempts by upstream host and outcome',
    labelNames: ['host', 'outcome'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [this.registry],
  });

  private readonly circuitState = new Gauge({
    name: 'upstream_circuit_state',
    help: 'Circuit breaker of an upstream host: 0 closed, 1 half-open, 2 open',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  private readonly outboxFailures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Outbox publish passes that NATS did not confirm (retried later)',
    registers: [this.registry],
  });

  private readonly setAsideEvents = new Counter({
    name: 'outbox_set_aside_total',
    help: 'Events NATS refused for good (too large, rejected), kept in the store and skipped',
    registers: [this.registry],
  });

  private readonly websocketRefusals = new Counter({
    name: 'websocket_handshakes_refused_total',
    help: 'WebSocket handshakes refused before the upgrade, by reason (origin, max_clients, max_clients_per_ip)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly natsDropped = new Counter({
    name: 'nats_events_dropped_total',
    help: 'Messages on the event subjects dropped before the WebSocket fan-out, by reason (unknown_event, schema, oversized, malformed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly retentionPrunedRows = new Counter({
    name: 'retention_pruned_rows_total',
    help: 'Rows deleted by retention, by table (item_history, jobs)',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  /** Per host, per outcome: the labelled children, so an attempt costs two map lookups. */
  private readonly upstream = new Map<string, Map<string, UpstreamSeries>>();
  /** Hosts whose circuit gauge has a value. */
  private readonly circuitKnown = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const sources = this.sources;
    const logger = this.logger;
    new Gauge({
      name: 'websocket_clients',
      help: 'WebSocket clients connected to /ws/items',
      registers: [this.registry],
      collect() {
        this.set(sources.websocketClients?.() ?? 0);
      },
    });
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox events not yet confirmed by NATS (NaN when the database could not be read)',
      registers: [this.registry],
      async collect() {
        this.set(await readOr(sources.outboxBacklog, 0, NaN, logger, 'outbox backlog'));
      },
    });
    new Gauge({
      name: 'outbox_set_aside',
      help: 'Events set aside in the store because NATS refused them (NaN when unreadable)',
      registers: [this.registry],
      async collect() {
        this.set(await readOr(sources.outboxSetAside, 0, NaN, logger, 'set-aside events'));
      },
    });
    new Gauge({
      name: 'jobs',
      help: 'Jobs recorded in the database, by kind and state',
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await readOr(sources.jobs, [], undefined, logger, 'job counts');
        this.reset();
        for (const { kind, state, count } of rows ?? []) {
          this.set({ kind, state }, count);
        }
      },
    });
  }

  /** Lets the module that owns a number report it at scrape time. */
  readAtScrape<K extends keyof ScrapeSources>(name: K, source: ScrapeSources[K]): void {
    this.sources[name] = source;
  }

  /** The exposition text for GET /metrics. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.httpSeries.get(key);
    if (!series) {
      series = this.httpDuration.labels(method, route, `${status}`);
      this.httpSeries.set(key, series);
    }
    series.observe(seconds);
  }

  upstreamAttempt(host: string, outcome: string, durationMs: number): void {
    let byOutcome = this.upstream.get(host);
    if (!byOutcome) {
      byOutcome = new Map();
      this.upstream.set(host, byOutcome);
      // a host in use has a circuit; it is closed until a state change says otherwise
      if (!this.circuitKnown.has(host)) {
        this.upstreamCircuit(host, 'closed');
      }
    }
    let series = byOutcome.get(outcome);
    if (!series) {
      series = {
        count: this.upstreamRequests.labels(host, outcome),
        duration: this.upstreamDuration.labels(host, outcome),
      };
      byOutcome.set(outcome, series);
    }
    series.count.inc();
    series.duration.observe(durationMs / 1000);
  }

  /** `state`: closed, half_open, open or isolated. */
  upstreamCircuit(host: string, state: string): void {
    this.circuitKnown.add(host);
    this.circuitState.set({ host }, CIRCUIT_VALUES[state] ?? CIRCUIT_VALUES.open);
  }

  outboxSetAside(): void {
    this.setAsideEvents.inc();
  }

  websocketHandshakeRefused(reason: string): void {
    this.websocketRefusals.inc({ reason });
  }

  outboxPublishFailed(): void {
    this.outboxFailures.inc();
  }

  retentionPruned(table: string, rows: number): void {
    this.retentionPrunedRows.inc({ table }, rows);
  }

  /** Each reason's series shows from the start (at 0), so an alert can use `increase()` at once. */
  natsEventReasons(reasons: readonly string[]): void {
    for (const reason of reasons) {
      this.natsDropped.labels(reason).inc(0);
    }
  }

  natsEventDropped(reason: string): void {
    this.natsDropped.labels(reason).inc();
  }
}

/** A failing source must not fail the scrape: it is logged and its series shows `failed`. */
async function readOr<T, F>(
  source: (() => T | Promise<T>) | undefined,
  absent: T,
  failed: F,
  logger: Logger,
  what: string,
): Promise<T | F> {
  if (!source) {
    return absent;
  }
  try {
    return await source();
  } catch (error) {
    logger.warn({ msg: `metrics: could not read ${what}`, error: String(error) });
    return failed;
  }
}
