'use strict';
// Benchmark of the external-API paths against the fake upstream (dist/test/fake-upstream):
//   1. POST /products/fetch_external: wall time of a call vs the ideal ceil(ids/concurrency) waves
//      of upstream latency;
//   2. POST /products/refresh_all over seeded products: job time vs the same ideal, and what the
//      refresh does to GET /products/{id} latency (p99 during vs idle).
//      Run twice: with the outbound calls on the main thread (EXTERNAL_HTTP_THREAD=main, the
//      reference) and on the worker thread (the default), each on a fresh copy of the data.
// The app is pinned to core 0; the fake upstream, the GET load (bench/load.js) and this script to
// core 1, so the app has a core to itself and its cost is what is measured.
// Prints markdown tables and writes them to bench/results-external.md.
// Usage: npm run build && node bench/external.js
//   knobs: BENCH_FETCH_IDS=100 BENCH_FETCH_CALLS=5 BENCH_FETCH_LATENCY_MS=50
//          BENCH_REFRESH_PRODUCTS=10000 BENCH_REFRESH_LATENCY_MS=20 BENCH_CONCURRENCY=16
//          BENCH_GET_RATE=200 BENCH_GET_CONNECTIONS=4 BENCH_IDLE_SECONDS=12
//          BENCH_REFRESH_ROUNDS=5 (fresh data and app each; verdicts on the medians)
//          BENCH_GET_PACED=1 (0: autocannon's own overallRate, which sends per-second bursts)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const {
  ROOT,
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  sleep,
  makeTmpDir,
  isRunning,
  startServer,
  stopServer,
  appServer,
  startLoad,
  toStored,
  seed,
  expectJson,
  fixed,
  median,
  cpuModel,
  table,
  left,
  right,
  machineBusy,
  foreignCpu,
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-external.md');
const UPSTREAM_ENTRY = path.join(ROOT, 'dist/test/fake-upstream/main.js');

// the app takes at most 1000 ids per call
const FETCH_IDS = Math.min(positiveInt('BENCH_FETCH_IDS', 100), 1000);
const FETCH_CALLS = positiveInt('BENCH_FETCH_CALLS', 5);
const FETCH_LATENCY_MS = positiveInt('BENCH_FETCH_LATENCY_MS', 50);
const REFRESH_PRODUCTS = positiveInt('BENCH_REFRESH_PRODUCTS', 10_000);
const REFRESH_LATENCY_MS = positiveInt('BENCH_REFRESH_LATENCY_MS', 20);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 16);
// modest on purpose: the GET load shares core 1 with the fake upstream, and neither may starve
const GET_RATE = positiveInt('BENCH_GET_RATE', 200);
const GET_CONNECTIONS = positiveInt('BENCH_GET_CONNECTIONS', 4);
// as long as a refresh lasts, so both p99s come from about as many samples
const IDLE_SECONDS = positiveInt('BENCH_IDLE_SECONDS', 12);
// p99s on this shared machine move by ±50 % run to run: the verdicts take the median round
const REFRESH_ROUNDS = positiveInt('BENCH_REFRESH_ROUNDS', 5);
// evenly spaced by default: with autocannon's bursts the idle p99 measures waking up (load.js)
const GET_PACED = process.env.BENCH_GET_PACED !== '0';
const GET_WARMUP_SECONDS = 1;
const POLL_MS = 200;

// the best possible: every wave of CONCURRENCY calls costs exactly one upstream latency
const waves = (ids) => Math.ceil(ids / CONCURRENCY);
const FETCH_IDEAL_MS = waves(FETCH_IDS) * FETCH_LATENCY_MS;
const REFRESH_IDEAL_MS = waves(REFRESH_PRODUCTS) * REFRESH_LATENCY_MS;
// a refresh this far off the ideal is stuck, not slow
const REFRESH_DEADLINE_MS = Math.max(120_000, 10 * REFRESH_IDEAL_MS);

const FETCH_TARGET = 1.3;
const REFRESH_TARGET = 1.3;
const P99_TARGET = 2;
const BUSY_WARNING = 0.1;

// ---------------------------------------------------------------------------------------------
// Servers

/** The fake upstream in its own process on the load core, answering after `latencyMs`. */
const upstreamServer = (latencyMs) =>
  startServer(
    'fake upstream',
    [UPSTREAM_ENTRY],
    { FAKE_UPSTREAM_LATENCY_MS: String(latencyMs), FAKE_UPSTREAM_ERROR_RATE: '0' },
    { core: LOAD_CORE, portVar: 'FAKE_UPSTREAM_PORT' },
  );

/**
 * Every EXTERNAL_* set here, so nothing leaks in from the caller's shell; retries off: one call
 * per id. `logBytes` counts what the app writes: logging is part of the cost being measured.
 */
async function externalApp(dbFile, upstream, env = {}) {
  const app = await appServer(dbFile, {
    EXTERNAL_API_PROVIDER: 'dummyjson',
    EXTERNAL_API_URL: upstream.url,
    EXTERNAL_CONCURRENCY: String(CONCURRENCY),
    EXTERNAL_TIMEOUT_MS: '5000',
    EXTERNAL_RETRIES: '0',
    EXTERNAL_BREAKER_THRESHOLD: '10',
    ...env,
  });
  app.logBytes = 0;
  const count = (chunk) => (app.logBytes += chunk.length);
  app.child.stdout.on('data', count);
  app.child.stderr.on('data', count);
  return app;
}

function assertAlive(server) {
  if (!isRunning(server.child)) {
    throw new Error(`${server.name} died during the run:\n${server.child.output}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. fetch_external

/** One call with ids first..first+FETCH_IDS-1; its wall time as the client sees it. */
async function fetchCall(app, label, first) {
  const ids = Array.from({ length: FETCH_IDS }, (_, i) => String(first + i));
  const started = performance.now();
  const response = await fetch(`${app.url}/products/fetch_external`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ external_ids: ids }),
  });
  const body = await response.json();
  const ms = performance.now() - started;
  const ok = response.status === 200 && body.created === FETCH_IDS && body.failed === 0;
  return {
    label,
    range: `${first}–${first + FETCH_IDS - 1}`,
    status: response.status,
    body,
    ms,
    ok,
  };
}

async function benchFetch(tmpDir) {
  log(`fetch_external: ${FETCH_IDS} ids × (1 warm-up + ${FETCH_CALLS}), ${FETCH_LATENCY_MS} ms`);
  const upstream = await upstreamServer(FETCH_LATENCY_MS);
  // a fresh database, and a distinct id range per call: every id is new, so every one is 'created'
  const app = await externalApp(path.join(tmpDir, 'fetch.db'), upstream);
  try {
    const calls = [await fetchCall(app, 'warm-up', 1)];
    const logBefore = app.logBytes;
    const others = foreignCpu(app.child, upstream.child);
    for (let i = 1; i <= FETCH_CALLS; i++) {
      calls.push(await fetchCall(app, String(i), 1 + i * FETCH_IDS));
    }
    assertAlive(app);
    return { calls, logBytes: app.logBytes - logBefore, others: others.end() };
  } finally {
    await stopServer(app);
    await stopServer(upstream);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. refresh_all

/** Stale rows (name, description, price all differ from the upstream's): each one is 'updated'. */
function staleRow(i) {
  const at = toStored(new Date(Date.now() - 86_400_000));
  return [`stale product ${i}`, 'stale description', 0, String(i), at, at];
}

const getLoad = (app, duration, warmup) => ({
  url: app.url,
  workload: 'get-product',
  connections: GET_CONNECTIONS,
  overallRate: GET_RATE,
  paced: GET_PACED,
  duration,
  warmup,
  maxId: REFRESH_PRODUCTS,
});

/** `thread`: where the app makes its outbound calls (EXTERNAL_HTTP_THREAD), worker or main. */
let refreshRuns = 0;
async function benchRefresh(tmpDir, thread) {
  const dbFile = path.join(tmpDir, `refresh-${thread}-${++refreshRuns}.db`);
  log(
    `refresh_all (outbound calls on the ${thread} thread): seeding ${REFRESH_PRODUCTS} stale products`,
  );
  await seed(dbFile, REFRESH_PRODUCTS, staleRow);

  const upstream = await upstreamServer(REFRESH_LATENCY_MS);
  const app = await externalApp(dbFile, upstream, { EXTERNAL_HTTP_THREAD: thread });
  try {
    await expectJson(app, 'GET', `/products/${REFRESH_PRODUCTS}`, 200);

    log(`GET /products/{id} idle: ${GET_RATE} req/s, ${GET_WARMUP_SECONDS}+${IDLE_SECONDS} s`);
    const idleOthers = foreignCpu(app.child, upstream.child);
    // the warm-up also warms the app's GET path, which the run during the refresh relies on
    const idle = await startLoad(getLoad(app, IDLE_SECONDS, GET_WARMUP_SECONDS)).result;
    idle.others = idleOthers.end(idle.cpuMs);

    log(`refresh_all of ${REFRESH_PRODUCTS} at ${REFRESH_LATENCY_MS} ms, with the same GET load`);
    const logBefore = app.logBytes;
    const others = foreignCpu(app.child, upstream.child);
    const posted = performance.now();
    const started = await expectJson(app, 'POST', '/products/refresh_all', 202);
    // The GET load runs from the refresh's start until the poll sees it end, not for a fixed
    // window: a window could overrun a fast refresh and mix idle samples in, or miss its start.
    // No warm-up (the idle run did that), so the refresh's first, coldest seconds count too; at
    // most one poll interval of samples after the end is included, negligible against ~12 s.
    const load = startLoad(getLoad(app, Math.ceil(REFRESH_DEADLINE_MS / 1000), 0));
    const loadStarted = Date.now();
    let job = started;
    // [wall clock, processed] per poll: the warm rate comes from these (same clock as the job's)
    const polls = [];
    const deadline = Date.now() + REFRESH_DEADLINE_MS;
    while (job.state === 'running') {
      if (Date.now() > deadline) throw new Error(`refresh still running: ${JSON.stringify(job)}`);
      // a load generator that dies early would otherwise leave a silent hole in the samples
      if (!isRunning(load)) await load.result;
      await sleep(POLL_MS);
      job = await expectJson(app, 'GET', started.status_url, 200);
      polls.push([Date.now(), job.processed]);
    }
    const observedMs = performance.now() - posted;
    // only a tiny refresh gets here first: load.js needs a moment to boot and catch SIGTERM
    await sleep(loadStarted + 1000 - Date.now());
    load.kill('SIGTERM');
    const during = await load.result;
    during.others = others.end(during.cpuMs);
    assertAlive(app);
    return { job, observedMs, polls, idle, during, logBytes: app.logBytes - logBefore };
  } finally {
    await stopServer(app);
    await stopServer(upstream);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const verdict = (pass) => (pass ? 'PASS' : 'MISS');

const kib = (bytes) => `${fixed(bytes / 1024, 0)} KiB`;

const coreShare = (others) => `${fixed(others.share * 100, 0)}% of a core`;

function reportFetch({ calls, logBytes, others }) {
  const measured = calls.slice(1);
  const mid = median(measured.map((c) => c.ms));
  const ratio = mid / FETCH_IDEAL_MS;
  const allOk = calls.every((c) => c.ok);
  return [
    `## fetch_external: ${FETCH_IDS} ids per call, upstream latency ${FETCH_LATENCY_MS} ms`,
    '',
    ...table(
      [
        left('call'),
        left('ids'),
        right('status'),
        right('created'),
        right('failed'),
        right('wall ms'),
      ],
      calls.map((c) => [
        c.label,
        c.range,
        String(c.status),
        String(c.body.created ?? 'n/a'),
        String(c.body.failed ?? 'n/a'),
        fixed(c.ms, 1),
      ]),
    ),
    '',
    ...table(
      [left('metric'), right('value'), right('target'), left('result')],
      [
        [`median wall ms (${FETCH_CALLS} calls)`, fixed(mid, 1), 'info', '—'],
        [
          `ideal ms: ceil(${FETCH_IDS}/${CONCURRENCY}) × ${FETCH_LATENCY_MS}`,
          String(FETCH_IDEAL_MS),
          'info',
          '—',
        ],
        [
          'median / ideal',
          fixed(ratio, 2),
          `≤ ${fixed(FETCH_TARGET, 2)}`,
          verdict(ratio <= FETCH_TARGET),
        ],
        [`every call 200 with created=${FETCH_IDS}`, allOk ? 'yes' : 'no', 'yes', verdict(allOk)],
        [`app log output over the ${FETCH_CALLS} calls`, kib(logBytes), 'info', '—'],
        ['other processes during the calls', coreShare(others), 'info', '—'],
      ],
    ),
  ];
}

/**
 * Products/s from the first poll that saw WARM_FROM of the work done to the job's end: a fresh
 * process compiles its hot paths during the first pages, which the whole-run rate includes.
 * Progress moves a page at a time and polls are POLL_MS apart, so it is approximate.
 */
const WARM_FROM = 0.2;
function warmRate(job, polls) {
  const from = polls.find(([, processed]) => processed >= WARM_FROM * job.total);
  if (!from || from[1] >= job.processed) return NaN;
  return ((job.processed - from[1]) * 1000) / (Date.parse(job.finished_at) - from[0]);
}

const jobMsOf = ({ job }) => Date.parse(job.finished_at) - Date.parse(job.started_at);
const p99RatioOf = ({ idle, during }) => during.p99 / idle.p99;

/** The round whose p99 ratio is the median: the one shown in full. */
const medianRound = (rounds) =>
  [...rounds].sort((a, b) => p99RatioOf(a) - p99RatioOf(b))[Math.floor((rounds.length - 1) / 2)];

function reportRounds(rounds) {
  const times = rounds.map((r) => jobMsOf(r) / REFRESH_IDEAL_MS);
  const ratios = rounds.map(p99RatioOf);
  return [
    `### Every round (${rounds.length}; each on fresh data and a fresh app; verdicts on the medians)`,
    '',
    ...table(
      [
        left('round'),
        ...['products/s', 'time / ideal', 'idle GET p99 ms', 'GET p99 during ms'].map(right),
        right('p99 during / idle'),
      ],
      [
        ...rounds.map((r, i) => [
          String(i + 1),
          fixed((REFRESH_PRODUCTS * 1000) / jobMsOf(r), 0),
          fixed(jobMsOf(r) / REFRESH_IDEAL_MS, 2),
          fixed(r.idle.p99, 2),
          fixed(r.during.p99, 2),
          fixed(p99RatioOf(r), 2),
        ]),
        [
          'median',
          fixed((REFRESH_PRODUCTS * 1000) / median(rounds.map(jobMsOf)), 0),
          fixed(median(times), 2),
          fixed(median(rounds.map((r) => r.idle.p99)), 2),
          fixed(median(rounds.map((r) => r.during.p99)), 2),
          fixed(median(ratios), 2),
        ],
      ],
    ),
  ];
}

function reportRefresh(rounds) {
  const { job, observedMs, polls, idle, during, logBytes } = medianRound(rounds);
  const jobMs = Date.parse(job.finished_at) - Date.parse(job.started_at);
  const ratio = median(rounds.map((r) => jobMsOf(r) / REFRESH_IDEAL_MS));
  const p99Ratio = median(rounds.map(p99RatioOf));
  const count = (name, value, expected) => [
    `job ${name}`,
    String(value),
    String(expected),
    verdict(value === expected),
  ];
  const getRow = (phase, r) => [
    phase,
    String(r.samples),
    fixed(r.p50, 2),
    fixed(r.p99, 2),
    String(r.errors),
    String(r.non2xx),
    coreShare(r.others),
  ];
  const lines = [
    `## refresh_all: ${REFRESH_PRODUCTS} products, upstream latency ${REFRESH_LATENCY_MS} ms`,
    '',
    `The round with the median p99 ratio in full; \`time / ideal\` and the p99 ratio are the ` +
      `medians of ${rounds.length} rounds (table below).`,
    '',
    ...table(
      [left('metric'), right('value'), right('target'), left('result')],
      [
        ['refresh wall s (job started_at → finished_at)', fixed(jobMs / 1000, 2), 'info', '—'],
        [
          `seen by the client s (POST → poll, every ${POLL_MS} ms)`,
          fixed(observedMs / 1000, 2),
          'info',
          '—',
        ],
        ['products/s', fixed((REFRESH_PRODUCTS * 1000) / jobMs, 0), 'info', '—'],
        [
          `products/s after the first ${WARM_FROM * 100}% (approx., from polls)`,
          fixed(warmRate(job, polls), 0),
          'info',
          '—',
        ],
        [
          `ideal s: ceil(${REFRESH_PRODUCTS}/${CONCURRENCY}) × ${REFRESH_LATENCY_MS} ms`,
          fixed(REFRESH_IDEAL_MS / 1000, 2),
          'info',
          '—',
        ],
        ['ideal products/s', fixed((REFRESH_PRODUCTS * 1000) / REFRESH_IDEAL_MS, 0), 'info', '—'],
        [
          'time / ideal (median of the rounds)',
          fixed(ratio, 2),
          `≤ ${fixed(REFRESH_TARGET, 2)}`,
          verdict(ratio <= REFRESH_TARGET),
        ],
        ['job state', job.state, 'succeeded', verdict(job.state === 'succeeded')],
        count('processed', job.processed, REFRESH_PRODUCTS),
        count('updated', job.updated, REFRESH_PRODUCTS),
        count('unchanged', job.unchanged, 0),
        count('created', job.created, 0),
        count('not_found', job.not_found, 0),
        count('failed', job.failed, 0),
        ['app log output during the refresh', kib(logBytes), 'info', '—'],
        ['other processes during the refresh', coreShare(during.others), 'info', '—'],
      ],
    ),
    '',
    `GET /products/{random id}: ${GET_RATE} req/s over ${GET_CONNECTIONS} connections, ` +
      (GET_PACED
        ? 'evenly spaced, open loop (latency from when each was due)'
        : "autocannon's overallRate (per-second bursts)") +
      `; idle = ${IDLE_SECONDS} s before the refresh (after ${GET_WARMUP_SECONDS} s warm-up), ` +
      'during = from the refresh start until the poll saw it end',
    '',
    ...table(
      [
        left('phase'),
        ...['samples', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'other processes'].map(right),
      ],
      [getRow('idle', idle), getRow('during refresh', during)],
    ),
    '',
    ...table(
      [left('ratio'), right('value'), right('target'), left('result')],
      [
        [
          'GET p99 during / idle (median of the rounds)',
          fixed(p99Ratio, 2),
          `≤ ${fixed(P99_TARGET, 2)}`,
          verdict(p99Ratio <= P99_TARGET),
        ],
        [
          'GET errors + non-2xx',
          String(idle.errors + idle.non2xx + during.errors + during.non2xx),
          '0',
          verdict(idle.errors + idle.non2xx + during.errors + during.non2xx === 0),
        ],
      ],
    ),
  ];
  if (job.errors?.length)
    lines.push('', `Job errors (first ${job.errors.length}): ${job.errors.join('; ')}`);
  if (!(during.samples > 0))
    lines.push('', 'Warning: no GET samples during the refresh (too short?)');
  return lines;
}

/** The source revision, to tell runs apart (dist/ is built from the working tree, so `+dirty`). */
function revision() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '+dirty (src)' : ''}`;
}

/** The same refresh with the outbound calls on the main thread: what the worker thread buys. */
function reportReference(worker, main) {
  const row = (label, r) => {
    const jobMs = Date.parse(r.job.finished_at) - Date.parse(r.job.started_at);
    return [
      label,
      fixed((REFRESH_PRODUCTS * 1000) / jobMs, 0),
      fixed(jobMs / REFRESH_IDEAL_MS, 2),
      fixed(r.idle.p99, 2),
      fixed(r.during.p99, 2),
      fixed(r.during.p99 / r.idle.p99, 2),
      coreShare(r.during.others),
    ];
  };
  return [
    '## Reference: the same refresh with the outbound calls on the main thread',
    '',
    'EXTERNAL_HTTP_THREAD=main runs the resilient HTTP client in the event loop that serves the ' +
      'API (as before the worker thread); the default, worker, runs it on a worker thread.',
    '',
    ...table(
      [
        left('outbound calls on'),
        ...[
          'products/s',
          'time / ideal',
          'idle GET p99 ms',
          'GET p99 during ms',
          'p99 during / idle',
        ].map(right),
        right('other processes'),
      ],
      [row('worker thread (default)', worker), row('main thread (reference)', main)],
    ),
  ];
}

function report(fetchResult, refresh, { cores, busy, source }) {
  const lines = [
    '# External API benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${cores} cores); Node ${process.version}; source ${source}`,
    `- app pinned to core ${SERVER_CORE}; fake upstream (its own process), the GET load and this ` +
      `script share core ${LOAD_CORE}, so the GET load is kept modest (${GET_RATE} req/s) ` +
      'lest it and the upstream starve each other',
    `- EXTERNAL_CONCURRENCY=${CONCURRENCY}, EXTERNAL_RETRIES=0, LOG_LEVEL=warn; ` +
      'fresh SQLite files (WAL) in the temp directory',
    `- machine busy just before each part (other processes): ` +
      `${busy.map((b) => `${fixed(b * 100, 0)}%`).join(', ')} of all cores`,
    '',
    ...reportFetch(fetchResult),
    '',
    ...reportRefresh(refresh.rounds),
    '',
    ...reportRounds(refresh.rounds),
    '',
    ...reportReference(medianRound(refresh.rounds), refresh.main),
  ];
  const spans = [
    ['the fetch_external calls', fetchResult.others],
    ...refresh.rounds.flatMap((r, i) => [
      [`the idle GET run of round ${i + 1}`, r.idle.others],
      [`the refresh of round ${i + 1}`, r.during.others],
    ]),
    ['the reference idle GET run', refresh.main.idle.others],
    ['the reference refresh', refresh.main.during.others],
  ].filter(([, others]) => others.share > BUSY_WARNING);
  for (const [span, others] of spans) {
    lines.push('', `Warning: other processes used ${coreShare(others)} during ${span}: rerun.`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  preflight();
  // counted before this script pins itself to one core
  const cores = os.availableParallelism();
  // read now: the tree may move on while this runs
  const source = revision();
  if (!fs.existsSync(UPSTREAM_ENTRY)) {
    throw new Error(`${UPSTREAM_ENTRY} is missing: run \`npm run build\` first`);
  }
  // this script times the calls and polls: on core 0 it would steal from the app it measures
  // (-a: every thread; children are re-pinned by taskset anyway)
  spawnSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
  const tmpDir = makeTmpDir('catalog-bench-external-');

  // someone else's work on the machine skews everything here: measured, and shown in the report
  const busy = [];
  const checkIdle = async () => {
    busy.push(await machineBusy());
    if (busy.at(-1) > BUSY_WARNING) {
      log(`warning: the machine is ${fixed(busy.at(-1) * 100, 0)}% busy before the next part`);
    }
  };
  await checkIdle();
  const fetchResult = await benchFetch(tmpDir);
  await checkIdle();
  const main = await benchRefresh(tmpDir, 'main');
  await checkIdle();
  const rounds = [];
  for (let round = 1; round <= REFRESH_ROUNDS; round++) {
    await checkIdle();
    log(`round ${round} of ${REFRESH_ROUNDS}`);
    rounds.push(await benchRefresh(tmpDir, 'worker'));
  }
  const refresh = { rounds, main };

  const markdown = report(fetchResult, refresh, { cores, busy, source });
  fs.writeFileSync(RESULTS_FILE, markdown);
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

runMain(main);
