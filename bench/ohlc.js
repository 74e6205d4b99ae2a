'use strict';
// OHLC of one item over a year of history: GET /items/{id}/history?interval=1d on SQLite and
// PostgreSQL, p50/p99 of sequential requests against the target, and the plan each engine
// used for that statement (the app's own SQL, from the built dist/). The hourly rollup is filled
// by the app's own rebuild statement, as its writes would have kept it.
// Usage: npm run build && node bench/ohlc.js
//   knobs: BENCH_POINTS=1000000 BENCH_REQUESTS=200 BENCH_ENGINES=sqlite,postgres
//          BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (a database is created there)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const sqlite3 = require('sqlite3');
const {
  ROOT,
  SERVER_CORE,
  positiveInt,
  log,
  makeTmpDir,
  startServer,
  stopServer,
  appServer,
  expectJson,
  fixed,
  cpuModel,
  table,
  left,
  right,
  preflight,
  runMain,
  foreignCpu,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-ohlc.md');
const POINTS = positiveInt('BENCH_POINTS', 1_000_000);
const REQUESTS = positiveInt('BENCH_REQUESTS', 200);
const WARMUP = Math.min(20, REQUESTS);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_P99_MS = 50;
const YEAR_S = 365 * 86_400;
const DAY_S = 86_400;
// the year ends at the last midnight, so it is 365 whole UTC days
const END_S = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
const START_S = END_S - YEAR_S;
const QUERY = `/items/1/history?interval=1d&limit=366`;

const { SqlDialect } = require(path.join(ROOT, 'dist/src/database/sql-dialect.js'));
const { historyBucketsQuery } = require(path.join(ROOT, 'dist/src/rates/history-buckets.query.js'));
const { rollupRebuild } = require(path.join(ROOT, 'dist/src/rates/history-rollup.js'));

/** The rollup statements for every hour of item 1, on that engine. */
const rebuild = (engine) =>
  rollupRebuild(new SqlDialect({ type: engine }), {
    itemId: 1,
    from: new Date('1970-01-01T00:00:00.000Z'),
    to: new Date('9999-12-31T23:00:00.000Z'),
  });

function promised(db, method, sql, params = []) {
  return new Promise((resolve, reject) =>
    db[method](sql, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

// ---------------------------------------------------------------------------------------------
// Seeding: the app's migrations make the schema, then one INSERT … SELECT writes the points,
// evenly spaced over the year, with the app stopped

const itemRow = (stamp) =>
  `INSERT INTO items (code, base, rate, source, created_at, updated_at) ` +
  `VALUES ('EUR', 'USD', 0.92, 'mock', ${stamp}, ${stamp})`;

async function seedSqlite(file) {
  await stopServer(await appServer(file));
  const db = new sqlite3.Database(file);
  const at = (i) =>
    `strftime('%Y-%m-%d %H:%M:%f', ${START_S} + ${i} * ${YEAR_S / POINTS}, 'unixepoch')`;
  await promised(db, 'run', itemRow(at(0)));
  await promised(
    db,
    'run',
    `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${POINTS - 1})
     INSERT INTO item_history (item_id, rate, source, recorded_at)
     SELECT 1, 0.9 + (abs(random()) % 100000) / 1000000.0, 'mock', ${at('i')} FROM s`,
  );
  for (const statement of rebuild('sqlite')) {
    await promised(db, 'run', statement.text, statement.params);
  }
  await promised(db, 'run', 'ANALYZE');
  await promised(db, 'run', 'PRAGMA wal_checkpoint(TRUNCATE)');
  const explain = async (sql, params) =>
    (await promised(db, 'all', `EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
  return { explain, close: () => new Promise((resolve) => db.close(resolve)) };
}

async function seedPostgres(url) {
  await stopServer(await appServer(null, { DATABASE_URL: url }));
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`SET TIME ZONE 'UTC'`);
  const at = (i) =>
    `(TIMESTAMP '1970-01-01' + (${START_S} + ${i} * ${YEAR_S / POINTS}) * INTERVAL '1 second')`;
  await db.query(itemRow(at(0)));
  await db.query(
    `INSERT INTO item_history (item_id, rate, source, recorded_at)
     SELECT 1, 0.9 + random() / 10, 'mock', ${at('i')} FROM generate_series(0, ${POINTS - 1}) i`,
  );
  for (const statement of rebuild('postgres')) {
    await db.query(statement.text, statement.params);
  }
  await db.query('VACUUM ANALYZE item_history');
  await db.query('VACUUM ANALYZE item_history_hourly');
  const explain = async (sql, params) =>
    (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows.map(
      (r) => r['QUERY PLAN'],
    );
  return { explain, close: () => db.end() };
}

async function createPgDatabase() {
  const name = `bench_ohlc_${Date.now()}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: PG_ADMIN });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function measure(server) {
  const buckets = await expectJson(server, 'GET', QUERY, 200);
  const counted = buckets.reduce((sum, b) => sum + b.points, 0);
  if (buckets.length < 365 || counted !== POINTS) {
    throw new Error(`${server.name}: ${buckets.length} buckets holding ${counted} points`);
  }
  const latencies = [];
  // on PostgreSQL its server's work counts as the others' too
  const others = foreignCpu(server.child);
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const start = performance.now();
    const response = await fetch(`${server.url}${QUERY}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${server.name}: ${response.status}`);
    if (i >= WARMUP) latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const busy = others.end().share;
  if (busy > 0.2) {
    log(`${server.name}: machine busy: others used ${fixed(busy * 100, 0)} % of a core meanwhile`);
  }
  return { buckets: buckets.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1), busy };
}

async function runEngine(engine, tmpDir) {
  const sql = new SqlDialect({ type: engine === 'postgres' ? 'postgres' : 'sqlite' });
  const query = historyBucketsQuery(sql, { itemId: 1, seconds: DAY_S, limit: 366 });
  let database;
  let seeded;
  let env;
  log(`${engine}: seeding ${POINTS} points over a year`);
  const seedStart = performance.now();
  if (engine === 'postgres') {
    database = await createPgDatabase();
    seeded = await seedPostgres(database.url);
    env = { DATABASE_URL: database.url };
  } else {
    const file = path.join(tmpDir, 'ohlc.db');
    seeded = await seedSqlite(file);
    env = { DATABASE_URL: `sqlite:${file}` };
  }
  log(`${engine}: seeded in ${fixed((performance.now() - seedStart) / 1000, 1)} s`);
  try {
    const plan = await seeded.explain(query.text, query.params);
    const server = await startServer(`app (${engine})`, [path.join(ROOT, 'dist/src/main.js')], {
      NATS_URL: '',
      LOG_LEVEL: 'warn',
      TASK_INTERVAL_SECONDS: '0',
      API_KEYS: '',
      ...env,
    });
    try {
      log(`${engine}: ${REQUESTS} sequential requests (+${WARMUP} warm-up)`);
      return { engine, plan, ...(await measure(server)) };
    } finally {
      await stopServer(server);
    }
  } finally {
    await seeded.close();
    await database?.drop();
  }
}

function report(results) {
  const lines = [
    '# OHLC benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.availableParallelism()} cores); Node ${process.version}`,
    `- app pinned to core ${SERVER_CORE}; ${POINTS} points of one item over 365 days; ` +
      `\`GET ${QUERY}\`, ${REQUESTS} sequential requests after ${WARMUP} warm-up`,
    '',
    ...table(
      [
        left('engine'),
        ...['buckets', 'p50 ms', 'p99 ms', 'max ms', 'others % core', 'target p99'].map(right),
        left('result'),
      ],
      results.map((r) => [
        r.engine,
        String(r.buckets),
        fixed(r.p50, 2),
        fixed(r.p99, 2),
        fixed(r.max, 2),
        fixed(r.busy * 100, 0),
        `≤ ${TARGET_P99_MS}`,
        r.p99 <= TARGET_P99_MS ? 'PASS' : 'MISS',
      ]),
    ),
  ];
  for (const r of results) {
    lines.push('', `Plan on ${r.engine}:`, '', '```', ...r.plan, '```');
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  preflight();
  const tmpDir = makeTmpDir('catalog-bench-ohlc-');
  const results = [];
  for (const engine of ENGINES) {
    results.push(await runEngine(engine, tmpDir));
  }
  const markdown = report(results);
  fs.writeFileSync(RESULTS_FILE, markdown);
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

runMain(main);
