'use strict';
// Helpers shared by the benchmarks (run.js, external.js): pinned child processes that never
// outlive the script, readiness polling, the app server, seeding SQLite, and report formatting.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const sqlite3 = require('sqlite3');

const ROOT = path.resolve(__dirname, '..');
// BENCH_APP_DIST compares another build (a copy of dist/ inside the project, for node_modules)
const APP_ENTRY = path.join(ROOT, process.env.BENCH_APP_DIST || 'dist', 'src/main.js');
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
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked, so none outlives the script, whatever way it ends.

const children = new Set();
const tmpDirs = [];

function killAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', () => {
  killAll();
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => process.exit(128 + os.constants.signals[signal]));
}

/** A fresh directory in os.tmpdir(), removed when the script exits. */
function makeTmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

/** Runs `node <args>` pinned to one core; keeps the output's tail for error messages. */
function spawnPinned(core, args, env = {}) {
  // taskset execs node, so child.pid (and child.kill) is node itself
  // BENCH_STDOUT_FILE: the child writes its stdout (log lines) to that file itself, so reading
  // them costs this process nothing while the child pays its own writes, as in production
  const { BENCH_STDOUT_FILE: stdoutFile, ...childEnv } = env;
  const stdout = stdoutFile ? fs.openSync(stdoutFile, 'a') : 'pipe';
  const child = spawn('taskset', ['-c', core, process.execPath, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...childEnv },
    stdio: ['ignore', stdout, 'pipe'],
  });
  if (typeof stdout === 'number') fs.closeSync(stdout);
  children.add(child);
  child.output = '';
  // the pipes must be drained, or a chatty child blocks on a full pipe
  const keep = (chunk) => (child.output = (child.output + chunk).slice(-4000));
  if (process.env.BENCH_CHILD_LOG && child.stdout) {
    const file = fs.createWriteStream(`${process.env.BENCH_CHILD_LOG}.${child.pid}`);
    child.stdout.pipe(file);
  }
  child.stdout?.on('data', keep);
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

const isRunning = (child) => children.has(child);

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
    await sleep(50);
  }
  throw new Error(
    `${name} not listening on ${port} after ${READY_TIMEOUT_MS} ms:\n${child.output}`,
  );
}

/** Starts a server on a free port, told through `portVar`, pinned to `core`; waits until it listens. */
async function startServer(name, args, env = {}, { core = SERVER_CORE, portVar = 'PORT' } = {}) {
  const port = await freePort();
  const child = spawnPinned(core, args, { ...env, [portVar]: String(port) });
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

/** The built app on `dbFile`, quiet (warn), no NATS, no scheduled tasks; `env` adds to that. */
const appServer = (dbFile, env = {}) =>
  // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=<folder>") profiles the app under load
  startServer(
    'app',
    [
      ...(process.env.BENCH_APP_NODE_ARGS ? process.env.BENCH_APP_NODE_ARGS.split(' ') : []),
      APP_ENTRY,
    ],
    {
      DATABASE_URL: `sqlite:${dbFile}`,
      NATS_URL: '',
      LOG_LEVEL: 'warn',
      TASK_INTERVAL_SECONDS: '0',
      // writes must be open even if the caller's shell sets keys
      API_KEYS: '',
      ...env,
    },
  );

/** Starts bench/load.js (autocannon) on the load core; `child.result` is its parsed JSON line. */
function startLoad(config) {
  const child = spawnPinned(LOAD_CORE, [path.join(__dirname, 'load.js'), JSON.stringify(config)]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.result = child.exited.then((code) => {
    if (code !== 0) throw new Error(`load generator failed (${code}):\n${child.output}`);
    return JSON.parse(stdout.trim().split('\n').pop());
  });
  return child;
}

// ---------------------------------------------------------------------------------------------
// Seeding

function promised(db, method, sql, params = []) {
  return new Promise((resolve, reject) =>
    db[method](sql, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

const toStored = (date) => date.toISOString().replace('T', ' ').slice(0, 23);

/**
 * Puts `count` products into a new database: the app's migrations create the schema, then the
 * rows go in in one transaction, app stopped. `rowFor(i)` (i from 1) gives
 * [name, description, price, external_id, created_at, updated_at].
 */
async function seed(dbFile, count, rowFor) {
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
  const pending = [];
  for (let i = 1; i <= count; i++) {
    const params = rowFor(i);
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
  const { rows } = await promised(db, 'get', 'SELECT COUNT(*) AS rows FROM products');
  await new Promise((resolve, reject) => db.close((e) => (e ? reject(e) : resolve())));
  if (rows !== count) throw new Error(`seeded ${rows} rows, expected ${count}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** One JSON request; throws unless the status is the expected one. */
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

// ---------------------------------------------------------------------------------------------
// Report

/** The middle value (the mean of the two middle ones for an even count). */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

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

/**
 * Shares (0..1) of all cores' time over the next `ms`, from /proc/stat: `busy` (everything but
 * idle and iowait, steal included) and `steal` (time the hypervisor gave another guest: a VM
 * slowed by its neighbours); NaN where there is none.
 */
async function machineLoad(ms = 1000) {
  const sample = () => {
    try {
      const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
      const values = ticks.map(Number);
      // idle + iowait; steal is the 8th field
      return {
        idle: values[3] + values[4],
        steal: values[7] ?? 0,
        total: values.reduce((a, b) => a + b, 0),
      };
    } catch {
      return undefined;
    }
  };
  const before = sample();
  await sleep(ms);
  const after = sample();
  if (!before || !after || after.total === before.total) return { busy: NaN, steal: NaN };
  const total = after.total - before.total;
  return {
    busy: 1 - (after.idle - before.idle) / total,
    steal: (after.steal - before.steal) / total,
  };
}

/** Share (0..1) of all cores busy over the next `ms` (machineLoad's `busy`). */
async function machineBusy(ms = 1000) {
  return (await machineLoad(ms)).busy;
}

// CPU accounting from /proc, in ms; Linux's USER_HZ is 100, so a tick is 10 ms.
const TICK_MS = 10;

function machineCpuMs() {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = ticks.map(Number);
  // everything but idle and iowait
  return (values.reduce((a, b) => a + b, 0) - values[3] - values[4]) * TICK_MS;
}

/** CPU (user + system, all threads) a live process has used; 0 once it is gone. */
function processCpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * CPU used on the whole machine by anything but this script and the given children, from now
 * until end(): a benchmark on a shared machine should say when someone else was busy. The
 * children must still run at end(); CPU of ours that /proc can no longer show (a load
 * generator that has exited reports its own) is passed to end() as `oursMs`.
 */
function foreignCpu(...children) {
  const selfMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const start = { at: Date.now(), machine: machineCpuMs(), self: selfMs() };
  const bases = children.map((child) => processCpuMs(child.pid));
  return {
    /** { ms, share }: the others' CPU, and that as a share of one core over the span. */
    end(oursMs = 0) {
      const ours =
        children.reduce((sum, child, i) => sum + processCpuMs(child.pid) - bases[i], 0) +
        (selfMs() - start.self) +
        oursMs;
      const ms = Math.max(0, machineCpuMs() - start.machine - ours);
      return { ms, share: ms / Math.max(1, Date.now() - start.at) };
    },
  };
}

// ---------------------------------------------------------------------------------------------

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

/** Runs the benchmark's main; on failure prints the message and exits 1, children killed. */
function runMain(main) {
  main()
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    // a server left running after an error would keep this process alive
    .finally(killAll);
}

module.exports = {
  median,
  freePort,
  tryConnect,
  ROOT,
  APP_ENTRY,
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  sleep,
  makeTmpDir,
  spawnPinned,
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
  machineBusy,
  machineLoad,
  foreignCpu,
  processCpuMs,
  preflight,
  runMain,
};
