'use strict';
// The load process of the WebSocket fan-out benchmark (bench/events.js runs it on the load core).
// Opens `clients` WebSockets to /ws/items, waits for every welcome, then makes `changes` products
// one at a time, `gapMs` apart. The REST calls are made here, beside the clients, so the response
// time and every client's receive time come from one clock (performance.now()).
// Prints one JSON line: per measured change, when its response arrived, when the first and the
// last client received its event, how many clients did, the envelope's seq and its `ts` (written
// just before COMMIT, on the wall clock); and per client whether it saw every seq once, in order.
// Usage: node bench/events-ws-clients.js '{"url":"http://127.0.0.1:3000","clients":1000,...}'
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { sleep, log, waitUntil, productPoster, finish, fail } = require('./events-common');

const { url, clients, changes, warmup, gapMs, openConcurrency, openTimeoutMs, settleTimeoutMs } =
  JSON.parse(process.argv[2]);

const wsUrl = `${url.replace(/^http/, 'ws')}/ws/items`;
/** product id → { count, first, last } receive times of its product.created event */
const received = new Map();
/** per client: the seq it last saw, what it saw first, and the positions out of line */
const streams = [];
const sockets = [];
let dropped = 0;
let closing = false;

function onFrame(stream, data) {
  // the time first: parsing and bookkeeping must not count as delivery
  const at = performance.now();
  const frame = JSON.parse(data);
  if (typeof frame.seq === 'number') {
    // every envelope, whatever its event: the stream must be gap-free and strictly increasing
    if (stream.last === null) stream.first = frame.seq;
    else if (frame.seq === stream.last) stream.repeated++;
    else if (frame.seq < stream.last) stream.backwards++;
    else if (frame.seq > stream.last + 1) stream.gaps += frame.seq - stream.last - 1;
    if (stream.last === null || frame.seq > stream.last) stream.last = frame.seq;
  } else if (frame.event !== 'welcome' && 'payload' in frame && 'ts' in frame) {
    stream.noSeq++;
  }
  if (frame.event !== 'product.created') return;
  let seen = received.get(frame.payload.id);
  if (!seen) {
    seen = { count: 0, first: at, last: at, seq: frame.seq, ts: Date.parse(frame.ts) };
    received.set(frame.payload.id, seen);
  }
  seen.count++;
  seen.last = at;
}

/** Resolves once the server's welcome frame has arrived; rejects if the socket fails first. */
function openClient() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    sockets.push(ws);
    ws.once('message', (data) => {
      const frame = JSON.parse(data);
      if (frame.event !== 'welcome') return reject(new Error(`first frame was ${frame.event}`));
      // the welcome's seq (SPEC §10) is the position the client starts after, when it has one
      const welcomeSeq = typeof frame.payload?.seq === 'number' ? frame.payload.seq : null;
      const stream = { welcomeSeq, first: null, last: welcomeSeq, repeated: 0, backwards: 0 };
      Object.assign(stream, { gaps: 0, noSeq: 0 });
      streams.push(stream);
      ws.on('message', (message) => onFrame(stream, message));
      resolve();
    });
    ws.on('error', reject);
    ws.on('close', (code) => {
      if (!closing) {
        dropped++;
        reject(new Error(`closed (${code}) before its welcome`));
      }
    });
  });
}

/** Opens the clients a window at a time: 1,000 handshakes at once would overflow the backlog. */
async function openAll() {
  let next = 0;
  const worker = async () => {
    while (next < clients) {
      next++;
      await openClient();
    }
  };
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${clients} clients not welcomed within ${openTimeoutMs} ms`)),
      openTimeoutMs,
    );
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: openConcurrency }, worker)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const started = performance.now();
  await openAll();
  log(`${clients} clients welcomed in ${Math.round(performance.now() - started)} ms`);

  const post = productPoster(url, 1);
  const measured = [];
  let failed = 0;
  for (let i = 0; i < warmup + changes; i++) {
    const result = await post();
    if (result.id === undefined) failed++;
    else if (i >= warmup) measured.push(result);
    await sleep(gapMs);
  }
  const allThere = () => measured.every((m) => received.get(m.id)?.count >= clients);
  await waitUntil(allThere, settleTimeoutMs);

  closing = true;
  for (const ws of sockets) ws.terminate();
  const changesOut = measured.map(({ id, sentAt, doneAt }) => {
    const seen = received.get(id) ?? { count: 0, first: NaN, last: NaN, seq: null, ts: NaN };
    // the commit-side time (ts, the app's Date) on this process's clock: both are the wall clock
    const tsAt = seen.ts - performance.timeOrigin;
    const { count, first, last, seq } = seen;
    return { sentAt, doneAt, count, first, last, seq, tsAt };
  });
  // every client must have seen each measured change's seq, gap-free, once, in order
  const seqs = changesOut.map((c) => c.seq).filter((seq) => typeof seq === 'number');
  const lo = Math.min(...seqs);
  const hi = Math.max(...seqs);
  const coverage = streams.map((s) =>
    s.last !== null && (s.first ?? s.welcomeSeq + 1) <= lo && s.last >= hi ? 1 : 0,
  );
  finish({
    clients,
    dropped,
    failed,
    seqRange: [lo, hi],
    streams: {
      covering: coverage.reduce((a, b) => a + b, 0),
      repeated: streams.reduce((a, s) => a + s.repeated, 0),
      backwards: streams.reduce((a, s) => a + s.backwards, 0),
      gaps: streams.reduce((a, s) => a + s.gaps, 0),
      noSeq: streams.reduce((a, s) => a + s.noSeq, 0),
      welcomeSeq: streams.filter((s) => s.welcomeSeq !== null).length,
      inOrder: streams.filter((s) => s.repeated + s.backwards + s.gaps + s.noSeq === 0).length,
    },
    changes: changesOut,
  });
}

main().catch(fail);
