'use strict';
// NATS outage benchmark: after a NATS outage with 20,000 events waiting in the outbox, how fast
// the relay drains them to JetStream (each one marked sent only on its ack), and what the drain
// does to GET /products/{id} latency.
//   1. A nats-server with JetStream (-js, a store in the temp directory) and the app with
//      NATS_URL pointing at it, on 10,000 seeded products; a paced GET /products/{id} load runs
//      from here to the end.
//   2. Idle: the GET p99 with NATS up and nothing to publish (the reference for the drain's p99).
//   3. NATS stopped (SIGTERM); 20,000 POST /products through the API (each one event; or, with
//      EVENTS_FILL=insert, rows put straight into the outbox); NATS kept down for
//      EVENTS_OUTAGE_SECONDS in all (default 60, as the issue names it; longer if making the events
//      takes longer), then restarted on the same port and store.
//   4. Drain: the stream's message count polled every 100 ms and /metrics outbox_backlog every
//      250 ms, until the stream holds every event and the backlog is 0; the GET p99 over the drain.
//   5. The stream read back in full: every seq 1..last exactly once, in order, no envelope twice.
//   6. Reference: a bare nats.js client on the app's core publishes as many envelopes of the same
//      size to a scratch stream on the same server, the relay's way (batches of pipelined acks).
// The app runs on core 0; nats-server, the load processes (bench/events-outage-load.js) on core 1.
// Prints markdown tables and writes them to bench/results-outage.md.
// Usage: npm run build && node bench/events-outage.js
//   (knobs: EVENTS_FILL=api (or insert: rows straight into the outbox) EVENTS_OUTAGE_SECONDS=60 EVENTS_PENDING=20000 EVENTS_GET_RATE=200
//    EVENTS_GET_CONNECTIONS=4 EVENTS_IDLE_SECONDS=10 EVENTS_FILL_CONCURRENCY=32; BENCH_SHOW_SLOW=1 logs
//    the slowest GETs of the drain with their time into it)
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const sqlite3 = require('sqlite3');
const { connect } = require('nats');
const {
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  sleep,
  makeTmpDir,
  spawnPinned,
  appServer,
  stopServer,
  toStored,
  seed,
  fixed,
  cpuModel,
  table,
  left,
  right,
  machineLoad,
  processCpuMs,
  preflight,
  runMain,
  freePort,
  tryConnect,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-outage.md');
const NATS_SERVER = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
const STREAM = 'CATALOG_EVENTS';

const OUTAGE_S = positiveInt('EVENTS_OUTAGE_SECONDS', 60);
const PENDING = positiveInt('EVENTS_PENDING', 20_000);
const GET_RATE = positiveInt('EVENTS_GET_RATE', 200);
const GET_CONNECTIONS = positiveInt('EVENTS_GET_CONNECTIONS', 4);
const IDLE_S = positiveInt('EVENTS_IDLE_SECONDS', 10);
const FILL_CONCURRENCY = positiveInt('EVENTS_FILL_CONCURRENCY', 32);
/** api: POST /products through the app (one event each); insert: rows put into the outbox directly */
const FILL = process.env.EVENTS_FILL || 'api';
if (!['api', 'insert'].includes(FILL)) {
  console.error(`EVENTS_FILL must be api or insert (got "${FILL}")`);
  process.exit(2);
}
const SEED_ROWS = 10_000;
const GET_WARMUP_MS = 2000;

const DRAIN_TARGET = 5000;
const P99_RATIO_TARGET = 2;
const READY_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------------
// nats-server with JetStream, restartable on the same port and store

let nats;
process.on('exit', () => nats?.kill('SIGKILL'));

async function startNats(port, storeDir) {
  let output = '';
  let exited = false;
  const args = [
    '-c',
    LOAD_CORE,
    NATS_SERVER,
    '-a',
    '127.0.0.1',
    '-p',
    port,
    '-js',
    '-sd',
    storeDir,
  ];
  nats = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => (output = (output + chunk).slice(-2000));
  nats.stdout.on('data', keep);
  nats.stderr.on('data', keep);
  nats.exited = new Promise((resolve) => nats.on('exit', resolve));
  nats.on('exit', () => (exited = true));
  nats.on('error', (error) => {
    exited = true;
    keep(error.message);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await tryConnect(port))) {
    if (exited) throw new Error(`nats-server exited before listening:\n${output}`);
    if (Date.now() > deadline) throw new Error(`nats-server not listening on ${port}:\n${output}`);
    await sleep(20);
  }
}

async function stopNats() {
  const child = nats;
  // a clean stop: the outage is the server being gone, not a store lost in a crash
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
  nats = undefined;
}

// ---------------------------------------------------------------------------------------------
// The app's side

async function getJson(app, urlPath) {
  const response = await fetch(`${app.url}${urlPath}`);
  return { status: response.status, body: await response.json() };
}

async function natsHealth(app) {
  const { body } = await getJson(app, '/health/ready');
  return body.details?.nats ?? body.info?.nats ?? {};
}

async function waitFor(what, check, timeoutMs, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

async function backlog(app) {
  const response = await fetch(`${app.url}/metrics`);
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith('outbox_backlog '));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/**
 * EVENTS_FILL=insert: `count` product.updated rows straight into the running app's outbox, with
 * the next positions, in one transaction that also moves event_stream.last_seq (the app is not
 * writing meanwhile; SQLite would make it wait if it were).
 */
async function insertEvents(dbFile, count) {
  const crypto = require('node:crypto');
  const started = Date.now();
  const db = await new Promise((resolve, reject) => {
    const handle = new sqlite3.Database(dbFile, (e) => (e ? reject(e) : resolve(handle)));
  });
  const run = (sql, params = []) =>
    new Promise((resolve, reject) =>
      db.all(sql, params, (e, rows) => (e ? reject(e) : resolve(rows))),
    );
  await run('PRAGMA busy_timeout = 10000');
  await run('BEGIN IMMEDIATE');
  const [{ last_seq: last }] = await run('SELECT last_seq FROM event_stream WHERE id = 1');
  const now = new Date();
  const at = toStored(now);
  const insert = db.prepare(
    'INSERT INTO outbox (seq, subject, envelope, created_at) VALUES (?, ?, ?, ?)',
  );
  const pending = [];
  for (let i = 1; i <= count; i++) {
    const seq = Number(last) + i;
    const id = 1 + (seq % SEED_ROWS);
    const envelope = JSON.stringify({
      id: crypto.randomUUID(),
      seq,
      event: 'product.updated',
      payload: {
        id,
        name: `outage seed ${id}`,
        description: `Seed product ${id} of the outage bench.`,
        price: id / 100,
        external_id: `seed-${id}`,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      },
      ts: now.toISOString(),
      origin: 'outage-bench-insert',
    });
    pending.push(
      new Promise((resolve, reject) =>
        insert.run([seq, 'products.updates', envelope, at], (e) => (e ? reject(e) : resolve())),
      ),
    );
  }
  await Promise.all(pending);
  await new Promise((resolve) => insert.finalize(resolve));
  await run('UPDATE event_stream SET last_seq = last_seq + ? WHERE id = 1', [count]);
  await run('COMMIT');
  await new Promise((resolve) => db.close(resolve));
  return { created: count, statuses: { inserted: count }, ms: Date.now() - started };
}

/** One query on the app's SQLite file, read-only beside the running app (WAL). */
function queryDb(dbFile, sql) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      db.all(sql, (e, rows) => db.close(() => (e ? reject(e) : resolve(rows))));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Load processes (one JSON line on stdout)

function startLoadProcess(core, config) {
  const child = spawnPinned(core, [
    path.join(__dirname, 'events-outage-load.js'),
    JSON.stringify(config),
  ]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  child.result = child.exited.then((code) => {
    if (code !== 0) throw new Error(`${config.mode} load failed (${code}):\n${child.output}`);
    return JSON.parse(stdout.trim().split('\n').pop());
  });
  return child;
}

// ---------------------------------------------------------------------------------------------
// The stream, read back

async function readStream(natsUrl, expected) {
  const nc = await connect({ servers: natsUrl });
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(STREAM);
  const consumer = await js.consumers.get(STREAM);
  const seqs = [];
  const ids = new Set();
  let duplicateIds = 0;
  let withHeader = 0;
  if (info.state.messages > 0) {
    const messages = await consumer.consume();
    for await (const message of messages) {
      const envelope = message.json();
      seqs.push(envelope.seq);
      if (ids.has(envelope.id)) duplicateIds++;
      ids.add(envelope.id);
      if (message.headers?.get('Nats-Msg-Id') === envelope.id) withHeader++;
      if (seqs.length >= info.state.messages) break;
    }
  }
  await nc.close();
  let outOfOrder = 0;
  for (let i = 1; i < seqs.length; i++) if (seqs[i] !== seqs[i - 1] + 1) outOfOrder++;
  const exact =
    seqs.length === expected && seqs.every((seq, i) => seq === i + 1) && duplicateIds === 0;
  return {
    messages: info.state.messages,
    read: seqs.length,
    outOfOrder,
    duplicateIds,
    withHeader,
    exact,
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const window = (samples, from, to) => samples.filter(([due]) => due >= from && due <= to);

// ---------------------------------------------------------------------------------------------

async function main() {
  preflight();
  const tmp = makeTmpDir('outage-bench-');
  const dbFile = path.join(tmp, 'app.db');
  const storeDir = path.join(tmp, 'jetstream');
  log(`seeding ${SEED_ROWS} products`);
  const seedStart = Date.now() - SEED_ROWS * 1000;
  await seed(dbFile, SEED_ROWS, (i) => {
    const at = toStored(new Date(seedStart + i * 1000));
    return [
      `outage seed ${i}`,
      `Seed product ${i} of the outage bench.`,
      i / 100,
      `seed-${i}`,
      at,
      at,
    ];
  });

  const port = await freePort();
  const natsUrl = `nats://127.0.0.1:${port}`;
  await startNats(port, storeDir);
  const app = await appServer(dbFile, { NATS_URL: natsUrl });
  let gets;
  try {
    await waitFor(
      'the app connected to JetStream',
      async () => {
        const health = await natsHealth(app);
        return health.state === 'connected' && health.jetstream === 'available';
      },
      READY_TIMEOUT_MS,
    );
    const monitor = await connect({ servers: natsUrl });
    const jsm = await monitor.jetstreamManager();
    const streamCount = async () => (await jsm.streams.info(STREAM)).state.messages;
    const baseline = await streamCount();
    log(`app on JetStream (stream ${STREAM}: ${baseline} messages)`);

    // --- idle
    gets = startLoadProcess(LOAD_CORE, {
      mode: 'gets',
      url: app.url,
      rate: GET_RATE,
      connections: GET_CONNECTIONS,
      maxId: SEED_ROWS,
    });
    await sleep(GET_WARMUP_MS);
    const idleFrom = Date.now();
    const idleBusy = machineLoad(IDLE_S * 1000);
    await sleep(IDLE_S * 1000);
    const idleTo = Date.now();
    const idleMachine = await idleBusy;
    log(`idle GET window done (${IDLE_S} s); stopping nats-server`);

    // --- outage
    await monitor.close();
    await stopNats();
    const outageFrom = Date.now();
    await waitFor(
      'the app saw NATS go',
      async () => (await natsHealth(app)).state !== 'connected',
      10_000,
    );
    const fill =
      FILL === 'insert'
        ? await insertEvents(dbFile, PENDING)
        : await startLoadProcess(LOAD_CORE, {
            mode: 'fill',
            url: app.url,
            count: PENDING,
            concurrency: FILL_CONCURRENCY,
          }).result;
    const pending = await backlog(app);
    log(`${fill.created} changes made in ${fixed(fill.ms / 1000, 1)} s; outbox_backlog ${pending}`);
    const restartAt = outageFrom + OUTAGE_S * 1000;
    if (Date.now() < restartAt) await sleep(restartAt - Date.now());
    const outageS = (Date.now() - outageFrom) / 1000;

    // --- drain
    await startNats(port, storeDir);
    const restartedAt = Date.now();
    // who spent the drain's CPU: a slow drain on a busy machine is told apart from a slow app
    const cpuAtRestart = { app: processCpuMs(app.child.pid), nats: processCpuMs(nats.pid) };
    log(`nats-server back after ${fixed(outageS, 1)} s; draining`);
    const expected = baseline + fill.created;
    const again = await connect({ servers: natsUrl });
    const jsm2 = await again.jetstreamManager();
    const count = async () => (await jsm2.streams.info(STREAM)).state.messages;
    const drainBusy = machineLoad(5000);
    let firstAt;
    let fullAt;
    let zeroAt;
    let lastBacklogPoll = 0;
    const progress = [];
    /** [wall clock ms, duration ms] of each GET /metrics during the drain */
    const scrapes = [];
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (fullAt === undefined || zeroAt === undefined) {
      if (Date.now() > deadline) throw new Error(`not drained within ${DRAIN_TIMEOUT_MS} ms`);
      const now = Date.now();
      const messages = await count().catch(() => NaN);
      if (firstAt === undefined && messages > baseline) firstAt = now;
      if (fullAt === undefined && messages >= expected) fullAt = now;
      progress.push([now - restartedAt, messages - baseline]);
      if (zeroAt === undefined && now - lastBacklogPoll >= 250) {
        lastBacklogPoll = now;
        const pending = await backlog(app);
        scrapes.push([now, Date.now() - now]);
        if (pending === 0) zeroAt = Date.now();
      }
      await sleep(100);
    }
    const drainCpu = {
      app: processCpuMs(app.child.pid) - cpuAtRestart.app,
      nats: processCpuMs(nats.pid) - cpuAtRestart.nats,
    };
    await again.close();
    const drainMachine = await drainBusy;
    await sleep(500);
    gets.kill('SIGTERM');
    const getResult = await gets.result;
    gets = undefined;

    // --- verify, then the reference
    const [{ last_seq: lastSeq }] = await queryDb(dbFile, 'SELECT last_seq FROM event_stream');
    const [{ avg: envelopeBytes }] = await queryDb(
      dbFile,
      'SELECT AVG(LENGTH(envelope)) AS avg FROM outbox',
    );
    const [{ n: failedRows }] = await queryDb(
      dbFile,
      'SELECT COUNT(*) AS n FROM outbox WHERE failed_at IS NOT NULL',
    );
    const stream = await readStream(natsUrl, Number(lastSeq));
    log(`stream read back: ${stream.read} messages; reference publish on core ${SERVER_CORE}`);
    // the app stays up (idle) so the reference runs beside it as the relay did
    const reference = await startLoadProcess(SERVER_CORE, {
      mode: 'jetstream',
      natsUrl,
      count: fill.created,
      bytes: Math.round(envelopeBytes),
      batch: 500,
      stream: 'BENCH_REFERENCE',
      subject: 'bench.reference',
    }).result;

    // --- report
    const idle = window(getResult.samples, idleFrom, idleTo);
    const drainFrom = firstAt ?? restartedAt;
    const drainTo = Math.max(fullAt, zeroAt);
    const during = window(getResult.samples, drainFrom, drainTo);
    if (process.env.BENCH_SHOW_SLOW)
      log(
        `slowest during the drain (ms after its start: latency): ${[...during]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([due, l]) => `${(due - drainFrom).toFixed(0)}: ${l.toFixed(1)}`)
          .join(
            ', ',
          )} of ${(drainTo - drainFrom).toFixed(0)} ms; /metrics scrapes (start+ms) ${scrapes.map(([at, ms]) => `${(at - drainFrom).toFixed(0)}+${ms}`).join(' ')}`,
      );
    const ms = (samples) => samples.map(([, latency]) => latency);
    const bad = (samples) => samples.filter(([, , status]) => status !== 200).length;
    const idleP99 = percentile(ms(idle), 99);
    const duringP99 = percentile(ms(during), 99);
    const ratio = duringP99 / idleP99;
    const drained = fill.created;
    const rateFromFirst = drained / ((fullAt - firstAt) / 1000);
    const rateFromRestart = drained / ((fullAt - restartedAt) / 1000);
    const rateToMarked = drained / ((zeroAt - restartedAt) / 1000);
    const referenceRate = reference.count / (reference.ms / 1000);
    const sec = (a, b) => `${fixed((b - a) / 1000, 2)} s`;

    const columns = [left('metric'), right('value'), right('reference / target'), left('result')];
    const rows = [
      ['NATS outage (stopped → back)', `${fixed(outageS, 1)} s`, `${OUTAGE_S} s`, '—'],
      [
        FILL === 'insert'
          ? 'events made during the outage (rows inserted into the outbox)'
          : 'events made during the outage (POST /products, 201)',
        `${drained} in ${fixed(fill.ms / 1000, 1)} s`,
        String(PENDING),
        verdict(drained === PENDING),
      ],
      [
        'outbox_backlog before the restart',
        String(pending),
        String(PENDING),
        verdict(pending === PENDING),
      ],
      ['restart → first event on the stream', sec(restartedAt, firstAt), 'info', '—'],
      [
        'drain: events/s, first → last on the stream (acked)',
        fixed(rateFromFirst, 0),
        `≥ ${DRAIN_TARGET}`,
        verdict(rateFromFirst >= DRAIN_TARGET),
      ],
      [
        'reference: bare nats.js, same count and size, batches of 500 acks',
        fixed(referenceRate, 0),
        'info',
        '—',
      ],
      ['drain / reference', fixed(rateFromFirst / referenceRate, 2), 'info', '—'],
      ['drain: events/s, restart → last on the stream', fixed(rateFromRestart, 0), 'info', '—'],
      [
        'drain: events/s, restart → outbox_backlog 0 (all marked sent)',
        fixed(rateToMarked, 0),
        'info',
        '—',
      ],
      [
        'CPU, restart → drained: app / nats-server (ms per 1,000 events)',
        `${fixed(drainCpu.app, 0)} / ${fixed(drainCpu.nats, 0)} ms ` +
          `(${fixed((drainCpu.app * 1000) / drained, 0)} / ${fixed((drainCpu.nats * 1000) / drained, 0)})`,
        'info',
        '—',
      ],
      [
        `GET /products/{id} p99 idle (${idle.length} samples, p50 ${fixed(percentile(ms(idle), 50), 2)})`,
        `${fixed(idleP99, 2)} ms`,
        'reference',
        '—',
      ],
      [
        `GET /products/{id} p99 during the drain (${during.length} samples, p50 ${fixed(percentile(ms(during), 50), 2)})`,
        `${fixed(duringP99, 2)} ms`,
        'info',
        '—',
      ],
      [
        `GET /metrics, restart → drained, every 250 ms (${scrapes.length}): median / slowest`,
        `${fixed(
          percentile(
            scrapes.map(([, d]) => d),
            50,
          ),
          0,
        )} / ${fixed(Math.max(...scrapes.map(([, d]) => d)), 0)} ms`,
        'info',
        '—',
      ],
      [
        'GET p99 during / idle',
        fixed(ratio, 2),
        `≤ ${fixed(P99_RATIO_TARGET, 2)}`,
        verdict(ratio <= P99_RATIO_TARGET),
      ],
      [
        'GET errors + non-200 (whole run)',
        String(getResult.errors + bad(getResult.samples)),
        '0',
        verdict(getResult.errors + bad(getResult.samples) === 0),
      ],
      [
        `stream: messages / read back / app's last seq`,
        `${stream.messages} / ${stream.read} / ${lastSeq}`,
        'equal',
        verdict(stream.messages === Number(lastSeq) && stream.read === Number(lastSeq)),
      ],
      [
        'stream: every seq 1..last once, in order; ids unique',
        stream.exact
          ? 'yes'
          : `no (${stream.outOfOrder} out of line, ${stream.duplicateIds} ids twice)`,
        'yes',
        verdict(stream.exact),
      ],
      [
        'messages with Nats-Msg-Id = envelope id',
        String(stream.withHeader),
        String(stream.read),
        verdict(stream.withHeader === stream.read),
      ],
      ['rows set aside', String(failedRows), '0', verdict(Number(failedRows) === 0)],
    ];
    const curve = progress
      .filter((_, i) => i % 5 === 0)
      .map(([t, n]) => `${fixed(t / 1000, 1)} s: ${n}`)
      .join(', ');
    const report = [
      '# NATS outage benchmark',
      '',
      `- date: ${new Date().toISOString()}`,
      `- CPU: ${cpuModel()} (${os.cpus().length} cores); Node ${process.version}`,
      `- app pinned to core ${SERVER_CORE} (SQLite, ${SEED_ROWS} seeded products, LOG_LEVEL=warn, ` +
        `shipped relay settings); nats-server ${'-js'} and the load processes on core ${LOAD_CORE}; ` +
        `the reference publisher on core ${SERVER_CORE}`,
      `- GET /products/{id}: ${GET_RATE}/s evenly spaced, open loop, ${GET_CONNECTIONS} connections, ` +
        `latency from when each request was due; idle window ${IDLE_S} s with NATS up and nothing ` +
        'pending; drain window: first event on the stream → stream complete and outbox_backlog 0',
      `- machine busy (all cores, everything; of it, steal: the hypervisor serving other guests): ` +
        `idle window ${fixed(idleMachine.busy * 100, 0)} % (steal ${fixed(idleMachine.steal * 100, 1)} %), ` +
        `first 5 s of the drain ${fixed(drainMachine.busy * 100, 0)} % (steal ${fixed(drainMachine.steal * 100, 1)} %)`,
      `- envelopes: ${Math.round(envelopeBytes)} bytes on average`,
      '',
      ...table(columns, rows),
      '',
      `Stream messages from the restart (every 0.5 s): ${curve}`,
      '',
    ].join('\n');
    console.log(report);
    fs.writeFileSync(RESULTS_FILE, report);
    log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    if (gets) gets.kill('SIGKILL');
    await stopServer(app);
    nats?.kill('SIGKILL');
  }
}

runMain(main);
