'use strict';
// One-command benchmark: the built app against two references on the same machine,
//   - node:http + sqlite3 on the same data ("the machine's limit"),
//   - a bare NestJS hello app ("the framework's ceiling"),
// each server pinned to core 0 and the load generator (bench/load.js) to core 1.
// Prints a markdown table and writes it to bench/results.md.
// Usage: npm run build && node bench/run.js   (knobs: BENCH_DURATION=10 BENCH_CONNECTIONS=32)
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const sqlite3 = require('sqlite3');

const ROOT = path.resolve(__dirname, '..');
const APP_ENTRY = path.join(ROOT, 'dist/src/main.js');
const RESULTS_FILE = path.join(__dirname, 'results.md');

const DURATION = positiveInt('BENCH_DURATION', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 32);
const WARMUP_SECONDS = 2;
const SEED_ROWS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const SERVER_CORE = '0';
const LOAD_CORE = '1';

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    // read at load time, before any child exists: a plain message and exit is enough
    console.error(`${name} must be a positive integer (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked, so none outlives this script, whatever way it ends.

const children = new Set();
let tmpDir;

function killAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', () => {
  killAll();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => process.exit(128 + os.constants.signals[signal]));
}

/** Runs `node <args>` pinned to one core; keeps the output's tail for error messages. */
function spawnPinned(core, args, env = {}) {
  const child = spawn('taskset', ['-c', core, process.execPath, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.output = '';
  // the pipes must be drained, or a chatty child blocks on a full pipe
  const keep = (chunk) => (child.output = (child.output + chunk).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      child.status = code ?? signal;
      resolve(child.status);
    });
    // a failed spawn emits 'error' and no 'exit'
    child.on('error', (error) => {
      children.delete(child);
      child.output += `\n${error.message}`;
      child.status = error.code;
      resolve(child.status);
    });
  });
  return child;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const tryConnect = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Polls the port until it accepts connections; fails fast if the server dies first. */
async function waitForPort(name, child, port) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`${name} exited (${child.status}) before listening:\n${child.output}`);
    }
    if (await tryConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `${name} not listening on ${port} after ${READY_TIMEOUT_MS} ms:\n${child.output}`,
  );
}

async function startServer(name, args, env = {}) {
  const port = await freePort();
  const child = spawnPinned(SERVER_CORE, args, { ...env, PORT: String(port) });
  await waitForPort(name, child, port);
  return { name, child, port, url: `http://127.0.0.1:${port}` };
}

/** SIGTERM (the app closes its database cleanly), then SIGKILL after a deadline. */
async function stopServer(server) {
  const { child } = server;
  if (!children.has(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// The three servers

const appServer = (dbFile) =>
  startServer('app', [APP_ENTRY], {
    DATABASE_URL: `sqlite:${dbFile}`,
    NATS_URL: '',
    LOG_LEVEL: 'warn',
    TASK_INTERVAL_SECONDS: '0',
    // writes must be open even if the caller's shell sets keys
    API_KEYS: '',
  });

const nodeHttpServer = (dbFile) =>
  startServer('node:http', [path.join(__dirname, 'reference-node-http.js')], { DB_FILE: dbFile });

const helloServer = () =>
  startServer('nest hello', [path.join(__dirname, 'reference-nest-hello.js')]);

// ---------------------------------------------------------------------------------------------
// Seeding

function promised(db, method, sql, params = []) {
  return new Promise((resolve, reject) =>
    db[method](sql, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

const toStored = (date) => date.toISOString().replace('T', ' ').slice(0, 23);

/** The app's migrations create the schema; the rows then go in in one transaction, app stopped. */
async function seed(dbFile) {
  await stopServer(await appServer(dbFile));

  const db = await new Promise((resolve, reject) => {
    const handle = new sqlite3.Database(dbFile, (error) =>
      error ? reject(error) : resolve(handle),
    );
  });
  await promised(db, 'run', 'BEGIN');
  const insert = db.prepare(
    'INSERT INTO products (name, description, price, external_id, created_at, updated_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?)',
  );
  const start = Date.now() - SEED_ROWS * 1000;
  const pending = [];
  for (let i = 1; i <= SEED_ROWS; i++) {
    const at = toStored(new Date(start + i * 1000));
    const params = [
      `seed product ${i} ${Math.random().toString(36).slice(2, 10)}`,
      `Description of seed product ${i}, long enough to look like a real one.`,
      Math.round(Math.random() * 100_000) / 100,
      `seed-${i}`,
      at,
      at,
    ];
    // queued on the driver; all of them are awaited together
    pending.push(
      new Promise((resolve, reject) => insert.run(params, (e) => (e ? reject(e) : resolve()))),
    );
  }
  await Promise.all(pending);
  await new Promise((resolve) => insert.finalize(resolve));
  await promised(db, 'run', 'COMMIT');
  // fold the WAL into the main file, so a plain file copy holds every row
  await promised(db, 'run', 'PRAGMA wal_checkpoint(TRUNCATE)');
  const { count } = await promised(db, 'get', 'SELECT COUNT(*) AS count FROM products');
  await new Promise((resolve, reject) => db.close((e) => (e ? reject(e) : resolve())));
  if (count !== SEED_ROWS) throw new Error(`seeded ${count} rows, expected ${SEED_ROWS}`);
}

// ---------------------------------------------------------------------------------------------
// Smoke checks: a broken server would otherwise show up as a great-looking row of 404s

const PRODUCT_FIELDS = 'id,name,description,price,external_id,created_at,updated_at';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function expectJson(server, method, urlPath, status, body) {
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (response.status !== status) {
    throw new Error(`${server.name}: ${method} ${urlPath} gave ${response.status}, not ${status}`);
  }
  return json;
}

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
  const child = spawnPinned(LOAD_CORE, [path.join(__dirname, 'load.js'), JSON.stringify(config)]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await child.exited;
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${child.output}`);
  if (children.has(server.child) === false) {
    throw new Error(`${server.name} died during the run:\n${server.child.output}`);
  }
  return JSON.parse(stdout.trim().split('\n').pop());
}

// ---------------------------------------------------------------------------------------------
// Report

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function cpuModel() {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** A markdown table laid out the way prettier would, so `prettier --check bench` stays clean. */
function table(columns, rows) {
  const widths = columns.map((c, i) =>
    Math.max(3, c.title.length, ...rows.map((r) => r[i].length)),
  );
  const pad = (text, i) => (columns[i].right ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = widths.map((w, i) => (columns[i].right ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(columns.map((c) => c.title)), `| ${rule.join(' | ')} |`, ...rows.map(line)];
}

const left = (title) => ({ title, right: false });
const right = (title) => ({ title, right: true });

function report(results) {
  const row = (server, workload) =>
    results.find((r) => r.server === server && r.workload === workload);
  const appGet = row('app', 'get-product');
  const appPost = row('app', 'post-product');

  const checks = [];
  // pass: true/false for a target, undefined for a ratio shown for information only
  const check = (name, value, target, pass) => {
    const result = pass === undefined ? '—' : pass ? 'PASS' : 'MISS';
    checks.push([name, fixed(value, 2), target, result]);
  };
  const getVsHello = appGet.rps / row('nest hello', 'get-hello').rps;
  const postVsHello = appPost.rps / row('nest hello', 'post-hello').rps;
  check('app GET / hello GET', getVsHello, '≥ 0.80', getVsHello >= 0.8);
  check('app POST / hello POST', postVsHello, '≥ 0.50', postVsHello >= 0.5);
  check('app GET / node:http GET', appGet.rps / row('node:http', 'get-product').rps, 'info');
  check('app POST / node:http POST', appPost.rps / row('node:http', 'post-product').rps, 'info');
  for (const r of [appGet, appPost]) {
    const tail = r.p99 / r.p50;
    check(`app ${r.label.split(' ')[0]} p99 / p50`, tail, '≤ 4.00', tail <= 4);
  }
  const appFailures = appGet.errors + appGet.non2xx + appPost.errors + appPost.non2xx;
  checks.push([
    'app errors + non-2xx',
    String(appFailures),
    '0',
    appFailures === 0 ? 'PASS' : 'MISS',
  ]);

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
  const shaky = results.filter((r) => r.server !== 'app' && r.errors + r.non2xx > 0);
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

function preflight() {
  if (!fs.existsSync(APP_ENTRY)) {
    throw new Error(`${APP_ENTRY} is missing: run \`npm run build\` first`);
  }
  // each core on its own: a mask such as "0,1" is accepted even when core 1 does not exist
  for (const core of [SERVER_CORE, LOAD_CORE]) {
    const probe = spawnSync('taskset', ['-c', core, 'true']);
    if (probe.error || probe.status !== 0) {
      throw new Error(`taskset -c ${core} failed: the benchmark needs taskset and 2 cores`);
    }
  }
}

async function main() {
  preflight();
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
  const appDb = path.join(tmpDir, 'app.db');
  const referenceDb = path.join(tmpDir, 'reference.db');

  log(`seeding ${SEED_ROWS} products into ${appDb}`);
  await seed(appDb);
  // a copy, so the node:http reference reads the same rows and writes do not mix
  fs.copyFileSync(appDb, referenceDb);

  const products = ['get-product', 'post-product'];
  const results = [
    ...(await bench(() => appServer(appDb), smokeProducts, products)),
    ...(await bench(() => nodeHttpServer(referenceDb), smokeProducts, products)),
    ...(await bench(helloServer, smokeHello, ['get-hello', 'post-hello'])),
  ];

  const markdown = report(results);
  fs.writeFileSync(RESULTS_FILE, markdown);
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  // a server left running after an error would keep this process alive
  .finally(killAll);
