'use strict';
// GET /convert through 3-hop chains among 200 items beside GET /products/{id}, in the same run
// on the same app (SQLite): the conversion's throughput should stay ≥ 0.7× the product read's.
// Rounds alternate the workloads; the medians are compared. The conversions repeat 500 queries
// (a board's conversion box asks the same one again and again); a third workload sends an amount
// never seen before each time, so no query's validation is reused (reported, no target).
// Usage: npm run build && node bench/convert.js
//   knobs: BENCH_DURATION=10 BENCH_CONNECTIONS=32 BENCH_ROUNDS=3
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const sqlite3 = require('sqlite3');
const {
  ROOT,
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  makeTmpDir,
  isRunning,
  stopServer,
  appServer,
  startLoad,
  toStored,
  seed,
  expectJson,
  median,
  fixed,
  cpuModel,
  table,
  left,
  right,
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-convert.md');
const DURATION = positiveInt('BENCH_DURATION', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 32);
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
const WARMUP_SECONDS = 2;
const PRODUCTS = 10_000;
const TARGET = 0.7;

// 200 items: a hub of 150 currencies quoted against USD, 47 more quoted against the first 47 of
// them, and a separate 3-step chain. Y<a> → X<b> goes Y<a> → X<a> → USD → X<b>: three steps.
const HUB = 150;
const LEAVES = 47;
const code = (prefix, n) => `${prefix}${String(n).padStart(3, '0')}`;
function items() {
  const rows = [];
  for (let n = 1; n <= HUB; n++) rows.push(['USD', code('X', n), 1 + n / 100]);
  for (let n = 1; n <= LEAVES; n++) rows.push([code('X', n), code('Y', n), 2 + n / 1000]);
  rows.push(['AAA', 'BBB', 2], ['CCC', 'BBB', 4], ['CCC', 'DDD', 10]);
  return rows;
}
const pairs = Array.from({ length: 500 }, () => {
  const leaf = 1 + Math.floor(Math.random() * LEAVES);
  const other = LEAVES + 1 + Math.floor(Math.random() * (HUB - LEAVES));
  return `/convert?from=${code('Y', leaf)}&to=${code('X', other)}`;
});
const convertPaths = pairs.map((pair) => `${pair}&amount=250`);

const seedStart = Date.now() - PRODUCTS * 1000;
const productRow = (i) => {
  const at = toStored(new Date(seedStart + i * 1000));
  return [`seed product ${i}`, `Description of seed product ${i}.`, i / 100, `seed-${i}`, at, at];
};

async function seedItems(file) {
  const db = new sqlite3.Database(file);
  const run = (sql, params) =>
    new Promise((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));
  const rows = items();
  const now = toStored(new Date());
  await run('BEGIN');
  for (const [base, quote, rate] of rows) {
    await run(
      'INSERT INTO items (code, base, rate, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [quote, base, rate, 'mock', now, now],
    );
  }
  await run('COMMIT');
  await new Promise((resolve) => db.close(resolve));
  return rows.length;
}

async function smoke(server) {
  const [, query] = convertPaths[0].split('?');
  const answer = await expectJson(server, 'GET', `/convert?${query}`, 200);
  if (answer.path.length !== 3 || !(answer.result > 0)) {
    throw new Error(`unexpected conversion ${JSON.stringify(answer)}`);
  }
  const chain = await expectJson(server, 'GET', '/convert?from=AAA&to=DDD&amount=3', 200);
  if (chain.result !== 15) throw new Error(`unexpected chain ${JSON.stringify(chain)}`);
  await expectJson(server, 'GET', `/products/${PRODUCTS}`, 200);
}

async function load(server, name, extra) {
  log(`${name}, ${CONNECTIONS} connections, ${WARMUP_SECONDS}+${DURATION} s`);
  const result = await startLoad({
    url: server.url,
    connections: CONNECTIONS,
    duration: DURATION,
    warmup: WARMUP_SECONDS,
    ...extra,
  }).result;
  if (!isRunning(server.child))
    throw new Error(`the app died during the run:\n${server.child.output}`);
  return { name, ...result };
}

function report(rounds, itemCount) {
  const product = rounds.map((r) => r.product);
  const convert = rounds.map((r) => r.convert);
  const fresh = rounds.map((r) => r.fresh);
  const ratio = median(convert.map((r) => r.rps)) / median(product.map((r) => r.rps));
  const freshRatio = median(fresh.map((r) => r.rps)) / median(product.map((r) => r.rps));
  const failures = [...product, ...convert, ...fresh].reduce(
    (sum, r) => sum + r.errors + r.non2xx,
    0,
  );
  const row = (label, runs) => [
    label,
    fixed(median(runs.map((r) => r.rps)), 0),
    fixed(median(runs.map((r) => r.p50)), 2),
    fixed(median(runs.map((r) => r.p99)), 2),
    String(runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0)),
  ];
  const lines = [
    '# Conversion benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.availableParallelism()} cores); Node ${process.version}`,
    `- app pinned to core ${SERVER_CORE}, autocannon to core ${LOAD_CORE}; ${CONNECTIONS} ` +
      `connections, ${WARMUP_SECONDS} s warm-up + ${DURATION} s measured, ${ROUNDS} rounds ` +
      `(medians); SQLite, ${PRODUCTS} products, ${itemCount} items; conversions over 3 steps`,
    '',
    ...table(
      [left('workload'), ...['req/s', 'p50 ms', 'p99 ms', 'errors + non-2xx'].map(right)],
      [
        row('GET /products/{id}', product),
        row('GET /convert (3 steps)', convert),
        row('GET /convert (3 steps), every query new', fresh),
      ],
    ),
    '',
    ...table(
      [left('ratio'), right('value'), right('target'), left('result')],
      [
        [
          'convert / product req/s',
          fixed(ratio, 2),
          `≥ ${TARGET}`,
          ratio >= TARGET ? 'PASS' : 'MISS',
        ],
        ['every query new / product req/s', fixed(freshRatio, 2), '', '(no target)'],
        ['errors + non-2xx', String(failures), '0', failures === 0 ? 'PASS' : 'MISS'],
      ],
    ),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  preflight();
  const tmpDir = makeTmpDir('catalog-bench-convert-');
  const file = path.join(tmpDir, 'app.db');
  log(`seeding ${PRODUCTS} products and 200 items into ${file}`);
  await seed(file, PRODUCTS, productRow);
  const itemCount = await seedItems(file);
  const server = await appServer(file);
  const rounds = [];
  try {
    await smoke(server);
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${round} of ${ROUNDS}`);
      rounds.push({
        product: await load(server, 'GET /products/{id}', {
          workload: 'get-product',
          maxId: PRODUCTS,
        }),
        convert: await load(server, 'GET /convert', { workload: 'get-paths', paths: convertPaths }),
        fresh: await load(server, 'GET /convert, every amount new', {
          workload: 'get-paths-new-amount',
          paths: pairs,
        }),
      });
    }
  } finally {
    await stopServer(server);
  }
  const markdown = report(rounds, itemCount);
  fs.writeFileSync(RESULTS_FILE, markdown);
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

runMain(main);
