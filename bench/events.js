'use strict';
// Event delivery benchmark: how fast committed changes reach their listeners.
//   1. WebSocket fan-out: 1,000 clients on /ws/items; per change, the time the last client got
//      the event minus the time the REST response arrived (both timed in the load process).
//   2. Outbox → NATS: products created at 1,000/s for 10 s; does the relay keep up, with every
//      event on products.updates exactly once?
// The app runs pinned to core 0 on a fresh SQLite file; the load process (bench/events-ws-clients.js,
// bench/events-nats-load.js) and a private nats-server run on core 1.
// Prints markdown tables and writes them to bench/results-events.md.
// Usage: npm run build && node bench/events.js
//   (knobs: EVENTS_CLIENTS=1000 EVENTS_CHANGES=200 EVENTS_RATE=1000 EVENTS_DURATION=10)
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const {
  SERVER_CORE,
  LOAD_CORE,
  positiveInt,
  log,
  sleep,
  makeTmpDir,
  spawnPinned,
  appServer,
  startServer,
  stopServer,
  fixed,
  cpuModel,
  table,
  left,
  right,
  preflight,
  runMain,
} = require('./lib');

const RESULTS_FILE = path.join(__dirname, 'results-events.md');
const NATS_SERVER = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
const SUBJECT = 'products.updates';

const CLIENTS = positiveInt('EVENTS_CLIENTS', 1000);
const CHANGES = positiveInt('EVENTS_CHANGES', 200);
const GAP_MS = 20;
const RATE = positiveInt('EVENTS_RATE', 1000);
const DURATION_S = positiveInt('EVENTS_DURATION', 10);
const CONCURRENCY = 32;

const FANOUT_P99_TARGET_MS = 50;
const LAG_TARGET_MS = 2000;
/** "keeps up" allows this much shortfall: pacing and the run's edges cost a few percent */
const RATE_TOLERANCE = 0.95;
const READY_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// A private nats-server (lib's helpers start node scripts only)

let natsServer;
process.on('exit', () => natsServer?.kill('SIGKILL'));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts nats-server on the load core (off the app's core) and waits until it accepts. */
async function startNats() {
  const port = await freePort();
  let output = '';
  let exited = false;
  natsServer = spawn('taskset', ['-c', LOAD_CORE, NATS_SERVER, '-a', '127.0.0.1', '-p', port], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => (output = (output + chunk).slice(-2000));
  natsServer.stdout.on('data', keep);
  natsServer.stderr.on('data', keep);
  natsServer.on('exit', () => (exited = true));
  // a failed spawn (no such binary) emits 'error' and no 'exit'
  natsServer.on('error', (error) => {
    exited = true;
    keep(error.message);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`nats-server exited before listening:\n${output}`);
    if (Date.now() > deadline) throw new Error(`nats-server not listening on ${port}:\n${output}`);
    await sleep(50);
  }
  return `nats://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------
// The load process: one JSON line on stdout; its progress goes to our stderr

async function runLoad(script, config, timeoutMs) {
  const child = spawnPinned(LOAD_CORE, [path.join(__dirname, script), JSON.stringify(config)]);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  // its own waits have deadlines; this one catches a hang anywhere else
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} failed (${code}):\n${child.output}`);
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** The app, on a fresh database file, publishing to `natsUrl`. */
const startApp = (natsUrl) =>
  appServer(path.join(makeTmpDir('events-bench-'), 'app.db'), {
    NATS_URL: natsUrl,
    // every simulated client connects from loopback: the per-address cap (100) would refuse most
    WS_MAX_CLIENTS_PER_IP: String(CLIENTS + 10),
  });

// ---------------------------------------------------------------------------------------------
// Statistics

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const ms = (value) => fixed(value, 1);

// ---------------------------------------------------------------------------------------------
// 1. WebSocket fan-out

/** Busy and total CPU ticks of the whole machine so far, from /proc/stat. */
function cpuTicks() {
  try {
    const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = values.slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - ticks[3] - ticks[4], total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** The same clients and changes against one server; its raw result and how busy the machine was. */
async function fanoutLoad(server) {
  log(`fan-out (${server.name}): ${CLIENTS} clients, ${CHANGES} changes ${GAP_MS} ms apart`);
  const before = cpuTicks();
  const result = await runLoad(
    'events-ws-clients.js',
    {
      url: server.url,
      clients: CLIENTS,
      changes: CHANGES,
      warmup: 10,
      gapMs: GAP_MS,
      openConcurrency: 50,
      openTimeoutMs: 60_000,
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
    },
    // opening, the changes themselves, and the settle wait, with room to spare
    120_000 + CHANGES * (GAP_MS + 100),
  );
  const after = cpuTicks();
  // everything on the machine, this benchmark included (the load process, the server)
  result.machineBusy = (after.busy - before.busy) / (after.total - before.total);
  return result;
}

async function fanout(natsUrl) {
  const app = await startApp(natsUrl);
  let appResult;
  try {
    appResult = await fanoutLoad(app);
  } finally {
    await stopServer(app);
  }
  const reference = await startServer('ws reference', [
    path.join(__dirname, 'reference-ws-broadcast.js'),
  ]);
  try {
    return summarizeFanout(appResult, await fanoutLoad(reference));
  } finally {
    await stopServer(reference);
  }
}

/** Per-change latencies of one run (only the changes every client got). */
function fanoutFigures({ clients, changes }) {
  const complete = changes.filter((c) => c.count === clients);
  return {
    // ts is written just before COMMIT: from it to the last client bounds commit → receive above
    afterCommit: complete.map((c) => c.last - c.tsAt),
    afterResponse: complete.map((c) => c.last - c.doneAt),
    afterSend: complete.map((c) => c.last - c.sentAt),
    spread: complete.map((c) => c.last - c.first),
    rest: changes.map((c) => c.doneAt - c.sentAt),
  };
}

function summarizeFanout(result, reference) {
  const { clients, dropped, failed, changes, streams, seqRange } = result;
  const app = fanoutFigures(result);
  const ref = fanoutFigures(reference);
  const expected = CHANGES * clients;
  const missing = expected - changes.reduce((sum, c) => sum + Math.min(c.count, clients), 0);
  const p99 = percentile(app.afterCommit, 99);
  const seqOk =
    streams.inOrder === clients &&
    streams.covering === clients &&
    changes.every((c) => typeof c.seq === 'number');
  const pair = (values, refValues, p) =>
    `${ms(percentile(values, p))} (${ms(percentile(refValues, p))})`;
  return {
    pass: p99 <= FANOUT_P99_TARGET_MS && missing === 0 && failed === 0 && seqOk,
    rows: [
      ['clients welcomed', String(clients), String(CLIENTS), verdict(clients === CLIENTS)],
      ['changes made (201)', String(changes.length), String(CHANGES), verdict(failed === 0)],
      ['commit → last client, p50 ms', pair(app.afterCommit, ref.afterCommit, 50), 'info', '—'],
      [
        'commit → last client, p99 ms',
        pair(app.afterCommit, ref.afterCommit, 99),
        `≤ ${FANOUT_P99_TARGET_MS}`,
        verdict(p99 <= FANOUT_P99_TARGET_MS),
      ],
      [
        'commit → last client, max ms',
        `${ms(Math.max(...app.afterCommit))} (${ms(Math.max(...ref.afterCommit))})`,
        'info',
        '—',
      ],
      [
        'last client − REST response, p50 / p99 ms',
        `${pair(app.afterResponse, ref.afterResponse, 50)} / ${pair(app.afterResponse, ref.afterResponse, 99)}`,
        'info',
        '—',
      ],
      [
        'last client − request sent, p50 / p99 ms',
        `${pair(app.afterSend, ref.afterSend, 50)} / ${pair(app.afterSend, ref.afterSend, 99)}`,
        'info',
        '—',
      ],
      [
        'first → last client spread, p50 / p99 ms',
        `${pair(app.spread, ref.spread, 50)} / ${pair(app.spread, ref.spread, 99)}`,
        'info',
        '—',
      ],
      [
        'REST round trip, p50 / p99 ms',
        `${pair(app.rest, ref.rest, 50)} / ${pair(app.rest, ref.rest, 99)}`,
        'info',
        '—',
      ],
      [
        'machine busy during the run (all processes, ours included), %',
        `${fixed(result.machineBusy * 100, 0)} (${fixed(reference.machineBusy * 100, 0)})`,
        'info',
        '—',
      ],
      [`events missing (of ${expected})`, String(missing), '0', verdict(missing === 0)],
      ['clients dropped during the run', String(dropped), '0', verdict(dropped === 0)],
      [
        `clients that saw seq ${seqRange[0]}–${seqRange[1]} each once, in order, no gap`,
        `${Math.min(streams.inOrder, streams.covering)}`,
        String(CLIENTS),
        verdict(seqOk),
      ],
      [
        'repeated / backwards / gaps / envelopes without seq',
        `${streams.repeated} / ${streams.backwards} / ${streams.gaps} / ${streams.noSeq}`,
        '0 / 0 / 0 / 0',
        verdict(streams.repeated + streams.backwards + streams.gaps + streams.noSeq === 0),
      ],
      ['welcome frames carrying seq', String(streams.welcomeSeq), 'info (SPEC §10)', '—'],
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Outbox → NATS throughput

async function relay(natsUrl) {
  const app = await startApp(natsUrl);
  try {
    log(`relay: POST /products at ${RATE}/s for ${DURATION_S} s, ${CONCURRENCY} in flight`);
    const result = await runLoad(
      'events-nats-load.js',
      {
        url: app.url,
        natsUrl,
        subject: SUBJECT,
        rate: RATE,
        concurrency: CONCURRENCY,
        warmupMs: 2000,
        durationMs: DURATION_S * 1000,
        readyTimeoutMs: READY_TIMEOUT_MS,
        settleTimeoutMs: SETTLE_TIMEOUT_MS,
      },
      READY_TIMEOUT_MS + 2 * SETTLE_TIMEOUT_MS + 60_000 + DURATION_S * 1000,
    );
    return summarizeRelay(result);
  } finally {
    await stopServer(app);
  }
}

function summarizeRelay({ start, statuses, duplicates, changes }) {
  const attempted = Object.values(statuses).reduce((a, b) => a + b, 0);
  const failed = attempted - changes.length;
  const lastResponse = Math.max(...changes.map(([, doneAt]) => doneAt));
  const arrived = changes.filter(([, , at]) => at !== null);
  const missing = changes.length - arrived.length;
  const lastArrival = Math.max(...arrived.map(([, , at]) => at));
  const changesPerSec = changes.length / ((lastResponse - start) / 1000);
  // over the same window as changes/s: what the relay delivered while the load was on
  const window = (lastResponse - start) / 1000;
  const eventsPerSec = arrived.filter(([, , at]) => at <= lastResponse).length / window;
  // and to the last event, tail included
  const eventsPerSecAll = arrived.length / ((lastArrival - start) / 1000);
  // with events missing, the last one never came: the lag is at least the settle wait
  const lag = missing === 0 ? lastArrival - lastResponse : Infinity;
  const eventLag = arrived.map(([, doneAt, at]) => at - doneAt);
  const restLatency = changes.map(([sentAt, doneAt]) => doneAt - sentAt);

  const appTakesRate = changesPerSec >= RATE * RATE_TOLERANCE;
  const eventsKeepUp = eventsPerSec >= changesPerSec * RATE_TOLERANCE;
  const lagOk = lag < LAG_TARGET_MS;
  const exactlyOnce = missing === 0 && duplicates === 0;
  const relayPass = eventsKeepUp && lagOk && exactlyOnce;
  const notes = [];
  if (!appTakesRate) {
    notes.push(
      `The app took only ${fixed(changesPerSec, 0)} POST /products per second, not the ` +
        `${RATE} offered: the relay was measured on what it got.`,
    );
  }
  notes.push(
    `Relay ${relayPass ? 'keeps up' : 'does NOT keep up'}: ${fixed(eventsPerSec, 0)} events/s on ` +
      `NATS for ${fixed(changesPerSec, 0)} changes/s, lag ${lagOk ? ms(lag) : '≥ ' + SETTLE_TIMEOUT_MS} ms` +
      `, ${missing} missing, ${duplicates} duplicated.`,
  );
  return {
    pass: relayPass,
    notes,
    rows: [
      [
        'REST changes/s (offered)',
        fixed(changesPerSec, 0),
        `≥ ${RATE * RATE_TOLERANCE} (${RATE})`,
        verdict(appTakesRate),
      ],
      ['REST changes made (201)', String(changes.length), 'info', '—'],
      ['REST failures / non-201', String(failed), '0', verdict(failed === 0)],
      [
        'REST latency p50 / p99 ms',
        `${ms(percentile(restLatency, 50))} / ${ms(percentile(restLatency, 99))}`,
        'info',
        '—',
      ],
      [
        'events/s on NATS, during the run',
        fixed(eventsPerSec, 0),
        `≥ ${RATE_TOLERANCE * 100} % of changes/s`,
        verdict(eventsKeepUp),
      ],
      ['events/s on NATS, to the last event', fixed(eventsPerSecAll, 0), 'info', '—'],
      [
        'lag: last response → last event ms',
        lagOk ? ms(lag) : `≥ ${SETTLE_TIMEOUT_MS}`,
        `< ${LAG_TARGET_MS}`,
        verdict(lagOk),
      ],
      [
        'per-event lag p50 / p99 / max ms',
        `${ms(percentile(eventLag, 50))} / ${ms(percentile(eventLag, 99))} / ${ms(Math.max(...eventLag))}`,
        'info',
        '—',
      ],
      ['events missing', String(missing), '0', verdict(missing === 0)],
      ['events duplicated', String(duplicates), '0', verdict(duplicates === 0)],
      ['relay keeps up', relayPass ? 'yes' : 'no', 'yes', verdict(relayPass)],
    ],
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  preflight();
  let ws;
  let nats;
  try {
    const natsUrl = await startNats();
    ws = await fanout(natsUrl);
    nats = await relay(natsUrl);
  } finally {
    // a live child would keep this process from exiting
    natsServer?.kill('SIGKILL');
  }

  const columns = [left('metric'), right('value'), right('target'), left('result')];
  const report = [
    '# Event delivery benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpuModel()} (${os.cpus().length} cores); Node ${process.version}`,
    `- app pinned to core ${SERVER_CORE} (fresh SQLite file per scenario, NATS on, LOG_LEVEL=warn); ` +
      `load process and a private nats-server on core ${LOAD_CORE}`,
    '',
    '## WebSocket fan-out',
    '',
    `${CLIENTS} clients on /ws/items; ${CHANGES} POST /products one at a time, ${GAP_MS} ms apart ` +
      '(after 10 warm-up changes). Commit → last client: when the last client received the event ' +
      "minus the envelope's `ts` (the app takes it just before COMMIT; both on the wall clock, " +
      '`ts` in whole ms), so an upper bound of commit → receive. The commit also lies between ' +
      'request sent and REST response, timed in the load process on one clock: those two rows ' +
      'bound it from both sides. In brackets: the reference, node:http + ws broadcasting the same ' +
      'envelope to the same clients (bench/reference-ws-broadcast.js), same cores, same run.',
    '',
    ...table(columns, ws.rows),
    '',
    '## Outbox → NATS',
    '',
    `No WebSocket clients; a subscriber on ${SUBJECT}. POST /products paced at ${RATE}/s, ` +
      `${CONCURRENCY} in flight, ${DURATION_S} s measured after a 2 s warm-up. Changes/s and ` +
      'events/s are counted from the start of the measured run to the last response; ' +
      '"to the last event" includes the tail after it.',
    '',
    ...table(columns, nats.rows),
    '',
    ...nats.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  console.log(report);
  fs.writeFileSync(RESULTS_FILE, report);
  log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

runMain(main);
