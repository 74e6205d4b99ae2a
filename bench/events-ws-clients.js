'use strict';
// The load process of the WebSocket fan-out benchmark (bench/events.js runs it on the load core).
// Opens `clients` WebSockets to /ws/items, waits for every welcome, then makes `changes` products
// one at a time, `gapMs` apart. The REST calls are made here, beside the clients, so the response
// time and every client's receive time come from one clock (performance.now()).
// Prints one JSON line: per measured change, when its response arrived and when the first and the
// last client received its event, and how many clients did.
// Usage: node bench/events-ws-clients.js '{"url":"http://127.0.0.1:3000","clients":1000,...}'
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { sleep, log, waitUntil, productPoster, finish, fail } = require('./events-common');

const { url, clients, changes, warmup, gapMs, openConcurrency, openTimeoutMs, settleTimeoutMs } =
  JSON.parse(process.argv[2]);

const wsUrl = `${url.replace(/^http/, 'ws')}/ws/items`;
/** product id → { count, first, last } receive times of its product.created event */
const received = new Map();
const sockets = [];
let dropped = 0;
let closing = false;

function onFrame(data) {
  // the time first: parsing and bookkeeping must not count as delivery
  const at = performance.now();
  const frame = JSON.parse(data);
  if (frame.event !== 'product.created') return;
  let seen = received.get(frame.payload.id);
  if (!seen) received.set(frame.payload.id, (seen = { count: 0, first: at, last: at }));
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
      ws.on('message', onFrame);
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
  finish({
    clients,
    dropped,
    failed,
    changes: measured.map(({ id, sentAt, doneAt }) => {
      const seen = received.get(id) ?? { count: 0, first: NaN, last: NaN };
      return { sentAt, doneAt, count: seen.count, first: seen.first, last: seen.last };
    }),
  });
}

main().catch(fail);
