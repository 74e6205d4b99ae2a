'use strict';
// Throughput of GET /products/{id} and POST /products with 1, 2 and 3 instances of the built app
// on one PostgreSQL database (whose transactions run concurrently), each instance loaded directly
// (autocannon spreads its connections over the instances' URLs, round-robin), beside the
// single-instance SQLite figure (writes group-committed on one connection) in the same run.
// Instance i runs on core i mod 2 (BENCH_SPREAD=0: all on core 0, as the other benchmarks pin the
// app); autocannon is on core 1 and the PostgreSQL server, the machine's own service, runs
// wherever the scheduler puts it: on 2 cores, instances compete with the load and the database.
// Prints a markdown table and writes it to bench/results-instances.md.
// Usage: npm run build && node bench/instances.js
//   knobs: BENCH_DURATION=10 BENCH_CONNECTIONS=30 BENCH_MAX_INSTANCES=3
//          BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (a server to make a database on)
//          BENCH_ROUNDS=3 (every setup once per round, interleaved; the table shows medians)
//          BENCH_SPREAD=0 (every instance on core 0, instead of instance i on core i mod 2)
//          BENCH_WORKLOADS=get-product,post-product (each setup runs each, in that order)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const {
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  makeTmpDir,
  isRunning,
  startServer,
  stopServer,
  appServer,
  APP_ENTRY,
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
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-instances.md');
const DURATION = positiveInt('BENCH_DURATION', 10);
// a multiple of 1, 2 and 3, so every instance gets the same share of connections
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 30);
const MAX_INSTANCES = positiveInt('BENCH_MAX_INSTANCES', 3);
const WARMUP_SECONDS = 2;
const ROWS = 10_000;
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SPREAD = process.env.BENCH_SPREAD !== '0';
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);

async function sql(url, text, params = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

const APP_ENV = {
  NATS_URL: '',
  LOG_LEVEL: 'warn',
  TASK_INTERVAL_SECONDS: '0',
  API_KEYS: '',
  RATE_LIMIT_EXPENSIVE: '0',
};

/** One instance of the built app on `databaseUrl`; `core` as lib pins it. */
const instance = (databaseUrl, index) =>
  startServer(
    `app ${index + 1}`,
    [APP_ENTRY],
    { ...APP_ENV, DATABASE_URL: databaseUrl },
    {
      core: SPREAD ? String(index % 2) : SERVER_CORE,
    },
  );

const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'get-product,post-product').split(',');
const LABELS = { 'get-product': 'GET /products/{id}', 'post-product': 'POST /products' };

async function load(name, urls, workload) {
  log(`${name}: ${LABELS[workload]}, ${CONNECTIONS} connections, ${WARMUP_SECONDS}+${DURATION} s`);
  return startLoad({
    url: urls.length === 1 ? urls[0] : urls,
    workload,
    connections: CONNECTIONS,
    duration: DURATION,
    warmup: WARMUP_SECONDS,
    maxId: ROWS,
  }).result;
}

/** Every round: the SQLite reference, then 1..MAX_INSTANCES instances on one PostgreSQL database. */
async function benchRounds(rounds) {
  const name = `bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await sql(SERVER, `CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    // the first start migrates; then the rows go in with one statement
    await stopServer(await instance(databaseUrl, 0));
    await sql(
      databaseUrl,
      `INSERT INTO products (name, description, price, external_id, created_at, updated_at)
       SELECT 'seed product ' || i, 'Description of seed product ' || i || ', long enough to look real.',
              round((random() * 1000)::numeric, 2), 'seed-' || i, now(), now()
       FROM generate_series(1, $1) AS i`,
      [ROWS],
    );
    await sql(databaseUrl, 'ANALYZE products');
    for (let round = 1; round <= rounds.length; round++) {
      rounds[round - 1].push(...(await sqliteRun()));
      for (let n = 1; n <= MAX_INSTANCES; n++) {
        const servers = [];
        try {
          for (let i = 0; i < n; i++) servers.push(await instance(databaseUrl, i));
          for (const server of servers) await expectJson(server, 'GET', `/products/${ROWS}`, 200);
          for (const workload of WORKLOADS) {
            const result = await load(
              `PostgreSQL × ${n}`,
              servers.map((s) => s.url),
              workload,
            );
            const dead = servers.filter((s) => !isRunning(s.child));
            if (dead.length > 0) throw new Error(`${dead[0].name} died:\n${dead[0].child.output}`);
            rounds[round - 1].push({
              setup: `PostgreSQL, ${n} instance${n > 1 ? 's' : ''}`,
              workload,
              n,
              ...result,
            });
          }
        } finally {
          for (const server of servers) await stopServer(server);
        }
      }
    }
  } finally {
    await sql(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

let sqliteFile;
async function sqliteRun() {
  if (!sqliteFile) {
    sqliteFile = path.join(makeTmpDir('bench-instances-'), 'app.db');
    await seedSqlite(sqliteFile);
  }
  const server = await appServer(sqliteFile);
  try {
    await expectJson(server, 'GET', `/products/${ROWS}`, 200);
    const results = [];
    for (const workload of WORKLOADS) {
      results.push({
        setup: 'SQLite, 1 instance (reference)',
        workload,
        n: 1,
        ...(await load('SQLite', [server.url], workload)),
      });
    }
    return results;
  } finally {
    await stopServer(server);
  }
}

async function seedSqlite(dbFile) {
  const start = Date.now() - ROWS * 1000;
  await seed(dbFile, ROWS, (i) => {
    const at = toStored(new Date(start + i * 1000));
    return [
      `seed product ${i}`,
      `Description of seed product ${i}, long enough to look real.`,
      Math.round(Math.random() * 100_000) / 100,
      `seed-${i}`,
      at,
      at,
    ];
  });
}

/** One row per setup: the median of its rounds (req/s, p50, p99), errors summed. */
function medians(rounds) {
  return rounds[0].map(({ setup, workload, n }) => {
    const runs = rounds.map((round) =>
      round.find((r) => r.setup === setup && r.workload === workload),
    );
    return {
      setup,
      workload,
      n,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      each: runs.map((r) => fixed(r.rps, 0)).join(', '),
    };
  });
}

function report(results) {
  const of = (r, kind, n) =>
    results.find((x) => x.workload === r.workload && x.setup.startsWith(kind) && x.n === n);
  const ordered = WORKLOADS.flatMap((workload) => results.filter((r) => r.workload === workload));
  const lines = [
    '# Instances benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.availableParallelism()} cores); Node ${process.version}`,
    `- instances ${SPREAD ? 'spread over both cores (instance i on core i mod 2)' : `pinned to core ${SERVER_CORE}`}, autocannon on core ${LOAD_CORE}, ` +
      `the PostgreSQL server unpinned; ${CONNECTIONS} connections spread over the instances, ` +
      `${WARMUP_SECONDS} s warm-up + ${DURATION} s measured; ${ROWS} products; NATS off`,
    `- ${ROUNDS} rounds, every setup once per round; the figures are the medians of the rounds`,
    '',
    ...table(
      [
        left('workload'),
        left('setup'),
        ...['req/s', 'vs 1 PostgreSQL', 'vs SQLite', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'].map(
          right,
        ),
        right('req/s of each round'),
      ],
      ordered.map((r) => [
        LABELS[r.workload],
        r.setup,
        fixed(r.rps, 0),
        fixed(r.rps / of(r, 'PostgreSQL', 1).rps, 2),
        fixed(r.rps / of(r, 'SQLite', 1).rps, 2),
        fixed(r.p50, 2),
        fixed(r.p99, 2),
        String(r.errors),
        String(r.non2xx),
        r.each,
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  preflight();
  const rounds = Array.from({ length: ROUNDS }, () => []);
  await benchRounds(rounds);
  const text = report(medians(rounds));
  fs.writeFileSync(RESULTS_FILE, text);
  process.stdout.write(`\n${text}`);
}

runMain(main);
