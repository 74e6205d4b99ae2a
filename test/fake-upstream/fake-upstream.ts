import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What an id (or every request) should get instead of a normal answer. */
export type Fault =
  | number // answer with this HTTP status
  | 'hang' // accept the request and never answer
  | 'bad_body'; // 200 with a body of the wrong shape

export interface FakeUpstreamOptions {
  /** Delay before each answer, in ms. */
  latencyMs: number;
  /** Share of requests (0..1) answered 500. */
  errorRate: number;
  /** Per id: a fault, or a list of faults used one per request (then normal answers), e.g. [503]. */
  faults: Map<string, Fault | Fault[]>;
  /** A fault for every request (e.g. 'hang' or 503). */
  faultAll?: Fault;
  /** Answers 429 with this Retry-After (seconds) to the next N requests. */
  rateLimit?: { count: number; retryAfterSeconds: number };
  /** Product ids above this are 404. */
  maxProductId: number;
  /** Added to every price, so a test can make the upstream data change. */
  priceOffset: number;
  /** Per product (or post) id: the title and description (a post's body) to serve instead. */
  overrides: Map<string, { title?: string; description?: string }>;
  /** exchangerate: rates per base; Binance: symbol → price. */
  fiatRates: Record<string, number>;
  cryptoPrices: Record<string, string>;
  /** ECB eurofxref: currency → rate as written in the XML (a string, so a test can serve "abc"). */
  ecbRates: Record<string, string>;
  /** The ECB document's `Cube time`. */
  ecbDate: string;
  /** A fault for the ECB document only (or one per request); 'bad_body' serves malformed XML. */
  ecbFault?: Fault | Fault[];
  /** Served as the ECB document instead of the one built from the knobs above. */
  ecbBody?: string;
}

export interface FakeUpstreamStats {
  requests: number;
  inFlight: number;
  peakInFlight: number;
  byPath: Map<string, number>;
}

export interface FakeUpstream {
  url: string;
  port: number;
  options: FakeUpstreamOptions;
  stats: FakeUpstreamStats;
  set(options: Partial<FakeUpstreamOptions>): void;
  /** Back to defaults, counters zeroed. */
  reset(): void;
  close(): Promise<void>;
}

const defaults = (): FakeUpstreamOptions => ({
  latencyMs: 0,
  errorRate: 0,
  faults: new Map(),
  maxProductId: 1_000_000,
  priceOffset: 0,
  overrides: new Map(),
  fiatRates: { EUR: 0.92, GBP: 0.79, JPY: 151.3, CHF: 0.88 },
  cryptoPrices: {
    BTCUSDT: '67000.10',
    ETHUSDT: '3500.55',
    BNBUSDT: '590.2',
    SOLUSDT: '150.01',
    XRPUSDT: '0.52',
    DOGEUSDT: '0.15',
  },
  ecbRates: { USD: '1.0523', JPY: '157.82', GBP: '0.8312', CHF: '0.9376' },
  ecbDate: '2026-11-30',
});

const ECB_PATH = '/stats/eurofxref/eurofxref-daily.xml';

/** The ECB's eurofxref-daily.xml, as the bank publishes it. */
export function ecbDocument(date: string, rates: Record<string, string>): string {
  const cubes = Object.entries(rates)
    .map(([currency, rate]) => `<Cube currency="${currency}" rate="${rate}"/>`)
    .join('');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">',
    '  <gesmes:subject>Reference rates</gesmes:subject>',
    '  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>',
    `  <Cube><Cube time="${date}">${cubes}</Cube></Cube>`,
    '</gesmes:Envelope>',
  ].join('\n');
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The dummyjson, jsonplaceholder, exchangerate, Binance and ECB shapes, with knobs for faults. */
export async function startFakeUpstream(port = 0, host = '127.0.0.1'): Promise<FakeUpstream> {
  let options = defaults();
  const stats: FakeUpstreamStats = { requests: 0, inFlight: 0, peakInFlight: 0, byPath: new Map() };
  const hanging = new Set<ServerResponse>();

  const faultFor = (id: string | undefined): Fault | undefined => {
    if (options.faultAll !== undefined) {
      return options.faultAll;
    }
    const fault = id === undefined ? undefined : options.faults.get(id);
    if (Array.isArray(fault)) {
      const next = fault.shift();
      if (fault.length === 0 && id !== undefined) {
        options.faults.delete(id);
      }
      return next;
    }
    return fault;
  };

  const ecbFault = (): Fault | undefined => {
    const fault = options.faultAll ?? options.ecbFault;
    return Array.isArray(fault) ? fault.shift() : fault;
  };

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const product = /^\/products\/([^/]+)$/.exec(url.pathname);
    const post = /^\/posts\/([^/]+)$/.exec(url.pathname);
    const fiat = /^\/v4\/latest\/([^/]+)$/.exec(url.pathname);
    const id = decodeURIComponent((product ?? post)?.[1] ?? '');

    if (options.rateLimit && options.rateLimit.count > 0) {
      options.rateLimit.count--;
      send(
        res,
        429,
        { message: 'slow down' },
        { 'retry-after': String(options.rateLimit.retryAfterSeconds) },
      );
      return;
    }
    if (url.pathname === ECB_PATH) {
      answerEcb(res);
      return;
    }
    const fault = faultFor(id || undefined);
    if (fault === 'hang') {
      hanging.add(res);
      return;
    }
    if (typeof fault === 'number') {
      send(res, fault, { message: `fault ${fault}` });
      return;
    }
    if (Math.random() < options.errorRate) {
      send(res, 500, { message: 'random failure' });
      return;
    }
    if (fault === 'bad_body') {
      send(res, 200, { unexpected: true });
      return;
    }
    const numericId = /^\d+$/.test(id) ? Number(id) : NaN;
    if ((product || post) && !(numericId >= 1 && numericId <= options.maxProductId)) {
      send(res, 404, { message: `Product with id '${id}' not found` });
    } else if (product) {
      const override = options.overrides.get(id);
      send(res, 200, {
        id: numericId,
        title: override?.title ?? `Product ${id}`,
        description: override?.description ?? `Description of product ${id}`,
        price: Math.round((numericId % 1000) * 1.5 * 100) / 100 + options.priceOffset,
        category: 'fake',
      });
    } else if (post) {
      const override = options.overrides.get(id);
      send(res, 200, {
        userId: 1,
        id: numericId,
        title: override?.title ?? `Post ${id}`,
        body: override?.description ?? `Body of post ${id}`,
      });
    } else if (fiat) {
      send(res, 200, {
        base: fiat[1].toUpperCase(),
        date: new Date().toISOString().slice(0, 10),
        rates: options.fiatRates,
      });
    } else if (url.pathname === '/api/v3/ticker/price') {
      send(
        res,
        200,
        Object.entries(options.cryptoPrices).map(([symbol, price]) => ({ symbol, price })),
      );
    } else {
      send(res, 404, { message: 'no such route' });
    }
  };

  const answerEcb = (res: ServerResponse): void => {
    const fault = ecbFault();
    if (fault === 'hang') {
      hanging.add(res);
    } else if (typeof fault === 'number') {
      sendXml(res, fault, `<error>fault ${fault}</error>`);
    } else if (Math.random() < options.errorRate) {
      sendXml(res, 500, '<error>random failure</error>');
    } else if (fault === 'bad_body') {
      sendXml(res, 200, '<gesmes:Envelope><Cube><Cube time="2026-11-30">');
    } else {
      sendXml(res, 200, options.ecbBody ?? ecbDocument(options.ecbDate, options.ecbRates));
    }
  };

  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    const path = (req.url ?? '/').split('?')[0];
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1);
    res.once('close', () => {
      stats.inFlight--;
      hanging.delete(res);
    });
    if (options.latencyMs > 0) {
      setTimeout(() => answer(req, res), options.latencyMs);
    } else {
      answer(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${bound}`,
    port: bound,
    get options() {
      return options;
    },
    stats,
    set: (partial) => {
      options = { ...options, ...partial };
    },
    reset: () => {
      options = defaults();
      Object.assign(stats, { requests: 0, inFlight: stats.inFlight, peakInFlight: 0 });
      stats.byPath.clear();
    },
    close: async () => {
      for (const res of hanging) {
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
