'use strict';
// Replay benchmark: a WebSocket client resuming from position 0 over 100,000 retained events
// (SPEC §10 `resume` / `resumed`), events/s, beside two references measured in the same run on
// the same rows: the same rows read straight from the SQLite file (the floor any server pays),
// and the HTTP feed GET /events?after=…&limit=1000 paged.
//   1. A fresh database (the app's migrations), then EVENTS_RETAINED outbox rows inserted
//      directly: seq 1..N, published, created now (inside retention), event_stream.last_seq = N.
//   2. The app on it (SQLite, NATS off, shipped settings), pinned to core 0.
//   3. Rounds, each: the WebSocket resume (client on core 1), the feed paged (client on core 1),
//      the database read (on core 0, the app's core, the app idle then). Medians reported.
// Checks: every event seq 1..N once, in order, then `resumed` with after 0, to N, recovered true.
// Prints markdown tables and writes them to bench/results-replay.md.
// Usage: npm run build && node bench/events-replay.js
//   (knobs: EVENTS_RETAINED=100000 EVENTS_REPLAY_ROUNDS=3)
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const sqlite3 = require('sqlite3');
const {
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  makeTmpDir,
  spawnPinned,
  appServer,
  stopServer,
  toStored,
  fixed,
  cpuModel,
  median,
  table,
  left,
  right,
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-replay.md');
const RETAINED = positiveInt('EVENTS_RETAINED', 100_000);
const ROUNDS = positiveInt('EVENTS_REPLAY_ROUNDS', 3);
const PAGE = 1000;
const TARGET = 20_000;

function promised(db, method, sql, params = []) {
  return new Promise((resolve, reject) =>
    db[method](sql, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** The retained events: product.updated envelopes of the app's shape, seq 1..count, published. */
async function seedEvents(dbFile, count) {
  await stopServer(await appServer(dbFile));
  const db = await new Promise((resolve, reject) => {
    const handle = new sqlite3.Database(dbFile, (e) => (e ? reject(e) : resolve(handle)));
  });
  const started = performance.now();
  const now = new Date();
  const at = toStored(now);
  const ts = now.toISOString();
  await promised(db, 'run', 'BEGIN IMMEDIATE');
  const insert = db.prepare(
    'INSERT INTO outbox (seq, subject, envelope, created_at, sent_at) VALUES (?, ?, ?, ?, ?)',
  );
  const pending = [];
  for (let seq = 1; seq <= count; seq++) {
    const id = 1 + (seq % 10_000);
    const envelope = JSON.stringify({
      id: crypto.randomUUID(),
      seq,
      event: 'product.updated',
      payload: {
        id,
        name: `replay product ${id}`,
        description: `Product ${id}, changed for the replay bench.`,
        price: (seq % 100_000) / 100,
        external_id: null,
        created_at: ts,
        updated_at: ts,
      },
      ts,
      origin: 'replay-bench-seed',
    });
    pending.push(
      new Promise((resolve, reject) =>
        insert.run([seq, 'products.updates', envelope, at, at], (e) => (e ? reject(e) : resolve())),
      ),
    );
  }
  await Promise.all(pending);
  await new Promise((resolve) => insert.finalize(resolve));
  await promised(db, 'run', 'UPDATE event_stream SET last_seq = last_seq + ? WHERE id = 1', [
    count,
  ]);
  await promised(db, 'run', 'COMMIT');
  await promised(db, 'run', 'PRAGMA wal_checkpoint(TRUNCATE)');
  const [{ n, lo, hi, bytes }] = await promised(
    db,
    'all',
    'SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi, AVG(LENGTH(envelope)) AS bytes FROM outbox',
  );
  const [{ last_seq: lastSeq, epoch }] = await promised(
    db,
    'all',
    'SELECT last_seq, epoch FROM event_stream',
  );
  await new Promise((resolve) => db.close(resolve));
  if (n !== count || lo !== 1 || hi !== count || Number(lastSeq) !== count) {
    throw new Error(`seeded ${n} rows (${lo}..${hi}), last_seq ${lastSeq}: expected 1..${count}`);
  }
  return { ms: performance.now() - started, bytes, epoch };
}

/** Busy and total CPU ticks of the whole machine so far, from /proc/stat. */
function cpuTicks() {
  const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

function runClient(core, config, timeoutMs) {
  const child = spawnPinned(core, [
    path.join(__dirname, 'events-replay-client.js'),
    JSON.stringify(config),
  ]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return child.exited.then((code) => {
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${config.mode} client failed (${code}):\n${child.output}`);
    return JSON.parse(stdout.trim().split('\n').pop());
  });
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const rate = (result) => result.count / (result.ms / 1000);
const exact = (result) =>
  result.count === RETAINED &&
  result.repeated === 0 &&
  result.gaps === 0 &&
  result.next === RETAINED + 1;

async function main() {
  preflight();
  const dbFile = path.join(makeTmpDir('replay-bench-'), 'app.db');
  log(`seeding ${RETAINED} events into the outbox`);
  const seeded = await seedEvents(dbFile, RETAINED);
  log(`seeded in ${fixed(seeded.ms / 1000, 1)} s (${Math.round(seeded.bytes)} bytes an envelope)`);
  const app = await appServer(dbFile);
  const rounds = [];
  let latest;
  let machine;
  try {
    const response = await fetch(`${app.url}/events/latest`);
    latest = response.ok ? await response.json() : { status: response.status };
    const before = cpuTicks();
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${round}: WebSocket resume`);
      const ws = await runClient(
        LOAD_CORE,
        { mode: 'ws', url: app.url, after: 0, timeoutMs: 300_000, idleMs: 10_000 },
        330_000,
      );
      log(`round ${round}: HTTP feed`);
      const feed = await runClient(
        LOAD_CORE,
        { mode: 'feed', url: app.url, after: 0, limit: PAGE },
        300_000,
      );
      log(`round ${round}: database read`);
      const db = await runClient(
        SERVER_CORE,
        { mode: 'db', dbFile, after: 0, limit: PAGE },
        300_000,
      );
      rounds.push({ ws, feed, db });
      log(
        `round ${round}: ws ${fixed(rate(ws), 0)}/s (${ws.count}), feed ` +
          `${feed.status === 200 ? fixed(rate(feed), 0) : feed.status}/s, db ${fixed(rate(db), 0)}/s`,
      );
    }
    const after = cpuTicks();
    machine = (after.busy - before.busy) / (after.total - before.total);
  } finally {
    await stopServer(app);
  }

  const ws = rounds.map((r) => r.ws);
  const feeds = rounds.map((r) => r.feed);
  const dbs = rounds.map((r) => r.db);
  const wsRate = median(ws.map(rate));
  const feedOk = feeds.every((f) => f.status === 200);
  const feedRate = feedOk ? median(feeds.map(rate)) : NaN;
  const dbRate = median(dbs.map(rate));
  const last = ws[ws.length - 1];
  const resumed = last.frame?.event === 'resumed' ? last.frame.payload : undefined;
  const resumedOk =
    ws.every((w) => w.frame?.event === 'resumed') &&
    ws.every(
      (w) =>
        w.frame.payload.recovered === true &&
        w.frame.payload.after === 0 &&
        w.frame.payload.to === RETAINED,
    );
  const wsExact = ws.every(exact);
  const wsState = (w) =>
    w.timedOut
      ? `no answer (${w.timedOut} timeout) after ${w.count} events`
      : w.closed !== undefined
        ? `closed ${w.closed} after ${w.count} events`
        : `${w.count} events`;

  const columns = [left('metric'), right('value'), right('target'), left('result')];
  const rows = [
    [
      `WebSocket resume after 0: events/s (median of ${ROUNDS})`,
      fixed(wsRate, 0),
      `≥ ${TARGET}`,
      verdict(wsRate >= TARGET && wsExact && resumedOk),
    ],
    ['reference: database read, 1,000 a page, parsed (median)', fixed(dbRate, 0), 'info', '—'],
    [
      `reference: GET /events?after=…&limit=${PAGE} paged (median)`,
      feedOk ? fixed(feedRate, 0) : `not available (${feeds[0].status})`,
      'info',
      '—',
    ],
    ['WebSocket / database read', fixed(wsRate / dbRate, 2), 'info', '—'],
    [
      'WebSocket: resume sent → first event / → resumed, ms (last round)',
      `${fixed(last.firstMs, 0)} / ${fixed(last.ms, 0)}`,
      'info',
      '—',
    ],
    [
      `WebSocket: seq 1..${RETAINED} once, in order, every round`,
      wsExact ? 'yes' : ws.map(wsState).join('; '),
      'yes',
      verdict(wsExact),
    ],
    [
      'resumed frame (last round)',
      resumed ? JSON.stringify(resumed).replaceAll('|', '\\|') : 'none',
      `after 0, to ${RETAINED}, recovered`,
      verdict(resumedOk),
    ],
    [
      'welcome carries seq / epoch (last round)',
      `${last.welcome?.seq ?? 'no'} / ${last.welcome?.epoch === seeded.epoch ? 'the store’s' : (last.welcome?.epoch ?? 'no')}`,
      `${RETAINED} / the store’s`,
      verdict(last.welcome?.seq === RETAINED && last.welcome?.epoch === seeded.epoch),
    ],
    [
      'feed: seq 1..N once, in order, every round',
      feedOk ? (feeds.every(exact) ? 'yes' : 'no') : 'n/a',
      'yes',
      feedOk ? verdict(feeds.every(exact)) : '—',
    ],
  ];
  const perRound = table(
    [
      left('round'),
      right('WebSocket events/s'),
      right('feed events/s'),
      right('database events/s'),
    ],
    rounds.map((r, i) => [
      String(i + 1),
      `${fixed(rate(r.ws), 0)} (${wsState(r.ws)})`,
      r.feed.status === 200 ? fixed(rate(r.feed), 0) : `HTTP ${r.feed.status}`,
      fixed(rate(r.db), 0),
    ]),
  );
  const report = [
    '# Replay benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.cpus().length} cores); Node ${process.version}`,
    `- app pinned to core ${SERVER_CORE} (SQLite, NATS off, LOG_LEVEL=warn, shipped settings); ` +
      `the WebSocket and feed clients on core ${LOAD_CORE}, the database read on core ${SERVER_CORE}`,
    `- ${RETAINED} events inserted into the outbox directly in ${fixed(seeded.ms / 1000, 1)} s ` +
      `(${Math.round(seeded.bytes)} bytes an envelope); GET /events/latest: ` +
      `${JSON.stringify(latest).replaceAll('|', '\\|')}`,
    `- machine busy over the rounds (all cores, all processes, this benchmark's included): ` +
      `${fixed(machine * 100, 0)} %`,
    '',
    ...table(columns, rows),
    '',
    ...perRound,
    '',
  ].join('\n');
  console.log(report);
  fs.writeFileSync(RESULTS_FILE, report);
  log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

runMain(main);
