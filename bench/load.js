'use strict';
// The load generator, run by run.js as its own process (pinned to the other core): a warm-up,
// then the measured autocannon run; prints one JSON line with the results on stdout.
// Usage: node bench/load.js '{"url":"http://127.0.0.1:3000","workload":"get-product",...}'
// Optional: overallRate (req/s in total, for a fixed modest load instead of flat out), and
// paced: true to send that rate evenly spaced (see runPaced). SIGTERM ends the run early
// (external.js stops it when a job ends) and still prints the results.
const crypto = require('node:crypto');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const autocannon = require('autocannon');

const { url, workload, connections, duration, warmup, maxId, overallRate, paced, paths } =
  JSON.parse(process.argv[2]);

let current;
let stopped = false;
process.once('SIGTERM', () => {
  // from now on nothing is recorded: autocannon itself only stops at its next 1 s sample tick
  stopped = true;
  current?.stop();
});

// unique across the warm-up and the measured run, and across runs on the same file
const runTag = crypto.randomBytes(4).toString('hex');
let sequence = 0;

/** A new product each time: a random name, half with a unique external_id, half with none. */
function productBody() {
  sequence++;
  return JSON.stringify({
    name: `bench product ${crypto.randomBytes(6).toString('hex')}`,
    price: Math.round(Math.random() * 100_000) / 100,
    description: 'created by bench/load.js',
    external_id: sequence % 2 === 0 ? `b-${runTag}-${sequence}` : null,
  });
}

const randomId = () => 1 + Math.floor(Math.random() * maxId);
const JSON_HEADERS = { 'content-type': 'application/json' };

const REQUESTS = {
  'get-product': [
    { method: 'GET', setupRequest: (req) => ({ ...req, path: `/products/${randomId()}` }) },
  ],
  'post-product': [
    {
      method: 'POST',
      path: '/products',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({ ...req, body: productBody() }),
    },
  ],
  'get-hello': [{ method: 'GET', path: '/hello' }],
  // the caller's own GETs (config.paths), a random one each time
  'get-paths': [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }),
    },
  ],
  // the same, each with an amount never sent before: no query is seen twice
  'get-paths-new-amount': [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: `${paths[Math.floor(Math.random() * paths.length)]}&amount=${++sequence}.5`,
      }),
    },
  ],
  // the same body size as the product POST, so parsing costs are comparable
  'post-hello': [
    {
      method: 'POST',
      path: '/hello',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({ ...req, body: productBody() }),
    },
  ],
};

/** Starts one autocannon run; the returned instance is also a promise of its result. */
function runAutocannon(seconds, latencies) {
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: REQUESTS[workload],
    ...(overallRate ? { overallRate } : {}),
  });
  current = instance;
  // autocannon's own histogram has 1 ms resolution; the per-response times are sub-millisecond
  if (latencies) {
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (!stopped) latencies.push(responseTime);
    });
  }
  return instance;
}

/**
 * The same requests at overallRate, evenly spaced and open loop: autocannon's rate limit sends
 * each connection's share back to back at the start of every second, so at a modest rate the
 * server idles most of each second and p99 becomes the cost of waking up for a burst. Here a
 * request is due every 1/rate s whatever the answers do; at most `connections` are in flight
 * (the rest wait in the agent), and latency counts from when it was due, so a stalled server
 * shows as the queueing it causes. Resolves to the fields main() reads from autocannon.
 */
function runPaced(seconds, latencies) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(url);
  const interval = 1000 / overallRate;
  const start = performance.now();
  const end = start + seconds * 1000;
  const result = { requests: { total: 0 }, errors: 0, timeouts: 0, non2xx: 0, statusCodeStats: {} };
  let finished = false;
  let timer;
  let settle;
  const done = new Promise((resolve) => (settle = resolve));

  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    result.duration = (performance.now() - start) / 1000;
    agent.destroy();
    settle(result);
  };
  const send = (due) => {
    const spec = REQUESTS[workload][0];
    const request = spec.setupRequest ? spec.setupRequest({ ...spec }) : spec;
    result.requests.total++;
    const req = http.request(
      {
        agent,
        hostname,
        port,
        method: request.method,
        path: request.path,
        headers: request.headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const code = String(res.statusCode);
          result.statusCodeStats[code] = { count: (result.statusCodeStats[code]?.count ?? 0) + 1 };
          if (res.statusCode < 200 || res.statusCode >= 300) result.non2xx++;
          if (latencies && !stopped) latencies.push(performance.now() - due);
        });
      },
    );
    req.on('error', () => {
      if (!finished) result.errors++;
    });
    req.end(request.body);
  };
  const tick = () => {
    const now = performance.now();
    if (now >= end || stopped) return finish();
    // every request now due goes out, however many answers are still missing
    while (start + result.requests.total * interval <= now) {
      send(start + result.requests.total * interval);
    }
    timer = setTimeout(tick, start + result.requests.total * interval - performance.now());
  };
  tick();
  const instance = Object.assign(done, { stop: () => setImmediate(finish) });
  current = instance;
  return instance;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  if (!REQUESTS[workload]) throw new Error(`unknown workload ${workload}`);
  if (paced && !overallRate) throw new Error('paced needs an overallRate');
  const run = paced ? runPaced : runAutocannon;
  if (warmup > 0) await run(warmup);
  const latencies = [];
  // stopped during the warm-up: an empty result rather than a run nobody waits for
  const result = stopped
    ? { requests: { total: 0 }, duration: 0, errors: 0, timeouts: 0, non2xx: 0 }
    : await run(duration, latencies);
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      rps: result.requests.total / result.duration,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      requests: result.requests.total,
      // the responses the percentiles come from (fewer than requests when stopped early)
      samples: latencies.length,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes: result.statusCodeStats,
      // this process's own CPU, for callers that account for everything else on the machine
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
