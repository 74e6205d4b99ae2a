'use strict';
// One-command benchmark: the built app on each HTTP adapter (Express, Fastify) against two
// references on the same machine,
//   - node:http + sqlite3 on the same data ("the machine's limit"),
//   - a bare NestJS hello app on the same adapter ("the framework's ceiling"),
// each server pinned to core 0 and the load generator (bench/load.js) to core 1.
// Prints a markdown table and writes it to bench/results.md.
// Usage: npm run build && node bench/run.js
//   (knobs: BENCH_DURATION=10 BENCH_CONNECTIONS=32 BENCH_ADAPTERS=express,fastify)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  ROOT,
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
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
  cpuModel,
  table,
  left,
  right,
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results.md');

const DURATION = positiveInt('BENCH_DURATION', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 32);
const WARMUP_SECONDS = 2;
const SEED_ROWS = 10_000;
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const adapter of ADAPTERS) {
  if (adapter !== 'express' && adapter !== 'fastify') {
    throw new Error(`BENCH_ADAPTERS: unknown adapter ${adapter} (express, fastify)`);
  }
}

// ---------------------------------------------------------------------------------------------
// The reference servers (the app itself is lib's appServer)

const nodeHttpServer = (dbFile) =>
  startServer('node:http', [path.join(__dirname, 'reference-node-http.js')], { DB_FILE: dbFile });

const helloServer = (adapter) =>
  startServer(`nest hello ${adapter}`, [path.join(__dirname, 'reference-nest-hello.js')], {
    HTTP_ADAPTER: adapter,
  });

// ---------------------------------------------------------------------------------------------
// Seeding: random names and prices, external_id seed-<n>, one second apart

const seedStart = Date.now() - SEED_ROWS * 1000;
const seedRow = (i) => {
  const at = toStored(new Date(seedStart + i * 1000));
  return [
    `seed product ${i} ${Math.random().toString(36).slice(2, 10)}`,
    `Description of seed product ${i}, long enough to look like a real one.`,
    Math.round(Math.random() * 100_000) / 100,
    `seed-${i}`,
    at,
    at,
  ];
};

// ---------------------------------------------------------------------------------------------
// Smoke checks: a broken server would otherwise show up as a great-looking row of 404s

const PRODUCT_FIELDS = 'id,name,description,price,external_id,created_at,updated_at';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function smokeProducts(server) {
  const got = await expectJson(server, 'GET', `/products/${SEED_ROWS}`, 200);
  const created = await expectJson(server, 'POST', '/products', 201, {
    name: 'smoke',
    price: 1.5,
    description: 'smoke check',
    external_id: null,
  });
  for (const product of [got, created]) {
    if (Object.keys(product).join(',') !== PRODUCT_FIELDS || !ISO.test(product.created_at)) {
      throw new Error(`${server.name}: unexpected product ${JSON.stringify(product)}`);
    }
  }
}

async function smokeHello(server) {
  const got = await expectJson(server, 'GET', '/hello', 200);
  const echoed = await expectJson(server, 'POST', '/hello', 201, { a: 1 });
  if (got.hello !== 'world' || echoed.a !== 1) throw new Error(`${server.name}: unexpected body`);
}

// ---------------------------------------------------------------------------------------------
// Load

async function load(server, workload) {
  const config = {
    url: server.url,
    workload,
    connections: CONNECTIONS,
    duration: DURATION,
    warmup: WARMUP_SECONDS,
    maxId: SEED_ROWS,
  };
  log(`${server.name}: ${workload}, ${CONNECTIONS} connections, ${WARMUP_SECONDS}+${DURATION} s`);
  const result = await startLoad(config).result;
  if (!isRunning(server.child)) {
    throw new Error(`${server.name} died during the run:\n${server.child.output}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

function report(results) {
  const row = (server, workload) =>
    results.find((r) => r.server === server && r.workload === workload);

  const checks = [];
  // pass: true/false for a target, undefined for a ratio shown for information only
  const check = (name, value, target, pass) => {
    const result = pass === undefined ? '—' : pass ? 'PASS' : 'MISS';
    checks.push([name, fixed(value, 2), target, result]);
  };
  // the targets of issue #18: on Express against its hello route, on Fastify against node:http
  const TARGETS = {
    express: { against: 'nest hello express', get: 0.8, post: 0.5 },
    fastify: { against: 'node:http', get: 0.6, post: 0.5 },
  };
  for (const adapter of ADAPTERS) {
    const app = `app ${adapter}`;
    const appGet = row(app, 'get-product');
    const appPost = row(app, 'post-product');
    const hello = `nest hello ${adapter}`;
    const target = TARGETS[adapter];
    const ratio = (name, appRow, otherRow, min) => {
      const value = appRow.rps / otherRow.rps;
      const shown = `${app} ${appRow.label.split(' ')[0]} / ${name}`;
      if (min === undefined) {
        check(shown, value, 'info');
      } else {
        check(shown, value, `≥ ${fixed(min, 2)}`, value >= min);
      }
    };
    const targeted = (name) => (name === target.against ? target : {});
    ratio(hello, appGet, row(hello, 'get-hello'), targeted(hello).get);
    ratio(hello, appPost, row(hello, 'post-hello'), targeted(hello).post);
    ratio('node:http', appGet, row('node:http', 'get-product'), targeted('node:http').get);
    ratio('node:http', appPost, row('node:http', 'post-product'), targeted('node:http').post);
    for (const r of [appGet, appPost]) {
      const tail = r.p99 / r.p50;
      check(`${app} ${r.label.split(' ')[0]} p99 / p50`, tail, '≤ 4.00', tail <= 4);
    }
    const failures = appGet.errors + appGet.non2xx + appPost.errors + appPost.non2xx;
    checks.push([
      `${app} errors + non-2xx`,
      String(failures),
      '0',
      failures === 0 ? 'PASS' : 'MISS',
    ]);
  }

  const lines = [
    '# Benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.availableParallelism()} cores); Node ${process.version}`,
    `- each server pinned to core ${SERVER_CORE}, autocannon to core ${LOAD_CORE}; ` +
      `${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${DURATION} s measured; ` +
      `${SEED_ROWS} seeded products, SQLite (WAL, synchronous=NORMAL)`,
    '',
    ...table(
      [
        left('server'),
        left('workload'),
        ...['req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'].map(right),
      ],
      results.map((r) => [
        r.server,
        r.label,
        fixed(r.rps, 0),
        fixed(r.p50, 2),
        fixed(r.p99, 2),
        String(r.errors),
        String(r.non2xx),
      ]),
    ),
    '',
    ...table([left('ratio'), right('value'), right('target'), left('result')], checks),
  ];
  const shaky = results.filter((r) => !r.server.startsWith('app ') && r.errors + r.non2xx > 0);
  if (shaky.length > 0) {
    const names = shaky.map((r) => `${r.server} ${r.label}`).join(', ');
    lines.push('', `Warning: reference runs had failures, so their ratios mean less: ${names}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

const WORKLOADS = {
  'get-product': 'GET /products/{id}',
  'post-product': 'POST /products',
  'get-hello': 'GET /hello',
  'post-hello': 'POST /hello',
};

/** Renames a started server (the app is `app` in lib's appServer). */
const named = (name) => (server) => Object.assign(server, { name });

async function bench(start, smoke, workloads) {
  const server = await start();
  try {
    await smoke(server);
    const results = [];
    for (const workload of workloads) {
      results.push({
        server: server.name,
        workload,
        label: WORKLOADS[workload],
        ...(await load(server, workload)),
      });
    }
    return results;
  } finally {
    await stopServer(server);
  }
}

async function main() {
  preflight();
  const tmpDir = makeTmpDir('catalog-bench-');
  const appDb = path.join(tmpDir, 'app.db');
  const referenceDb = path.join(tmpDir, 'reference.db');

  log(`seeding ${SEED_ROWS} products into ${appDb}`);
  await seed(appDb, SEED_ROWS, seedRow);
  // a copy, so the node:http reference reads the same rows and writes do not mix
  fs.copyFileSync(appDb, referenceDb);

  const products = ['get-product', 'post-product'];
  const results = [];
  for (const adapter of ADAPTERS) {
    // each adapter's app starts from the same seeded rows
    const db = path.join(tmpDir, `app-${adapter}.db`);
    fs.copyFileSync(appDb, db);
    // the shipped settings: LOG_LEVEL=info writes the request log line, part of the product
    const app = () =>
      appServer(db, {
        HTTP_ADAPTER: adapter,
        LOG_LEVEL: 'info',
        BENCH_STDOUT_FILE: path.join(tmpDir, `app-${adapter}.log`),
      }).then(named(`app ${adapter}`));
    results.push(...(await bench(app, smokeProducts, products)));
    results.push(
      ...(await bench(() => helloServer(adapter), smokeHello, ['get-hello', 'post-hello'])),
    );
  }
  results.push(...(await bench(() => nodeHttpServer(referenceDb), smokeProducts, products)));

  const markdown = report(results);
  fs.writeFileSync(RESULTS_FILE, markdown);
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

runMain(main);
