'use strict';
// The load generator, run by run.js as its own process (pinned to the other core): a warm-up,
// then the measured autocannon run; prints one JSON line with the results on stdout.
// Usage: node bench/load.js '{"url":"http://127.0.0.1:3000","workload":"get-product",...}'
// Optional: overallRate (req/s in total, for a fixed modest load instead of flat out); SIGTERM
// ends the run early (external.js stops it when a job ends) and still prints the results.
const crypto = require('node:crypto');
const autocannon = require('autocannon');

const { url, workload, connections, duration, warmup, maxId, overallRate } = JSON.parse(
  process.argv[2],
);

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
function run(seconds, latencies) {
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

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  if (!REQUESTS[workload]) throw new Error(`unknown workload ${workload}`);
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
    })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
