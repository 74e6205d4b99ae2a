'use strict';
// The load process of the outbox → NATS benchmark (bench/events.js runs it on the load core).
// Subscribes to the products subject, checks the app's relay reaches it, then creates products at
// `rate` per second (at most `concurrency` in flight) for a warm-up and for the measured run, and
// times when each response and each event arrived, on one clock (performance.now()).
// Prints one JSON line: per created product [sent, response, arrival on NATS or null], the
// response statuses, and how many envelopes arrived more than once.
// Usage: node bench/events-nats-load.js '{"url":"http://127.0.0.1:3000","natsUrl":...}'
const { performance } = require('node:perf_hooks');
const { connect } = require('nats');
const { sleep, log, waitUntil, productPoster, finish, fail } = require('./events-common');

const config = JSON.parse(process.argv[2]);
const { url, natsUrl, subject, rate, concurrency, warmupMs, durationMs } = config;

/** product id → when its product.created envelope first arrived */
const arrivals = new Map();
/** envelope id → how many times it arrived: more than once is a duplicate */
const deliveries = new Map();

function onMessage(error, message) {
  const at = performance.now();
  if (error) return fail(error);
  const envelope = message.json();
  deliveries.set(envelope.id, (deliveries.get(envelope.id) ?? 0) + 1);
  if (envelope.event === 'product.created' && !arrivals.has(envelope.payload.id)) {
    arrivals.set(envelope.payload.id, at);
  }
}

const post = productPoster(url, concurrency);

/** Request i is due at start + i/rate; a request that is late (app saturated) goes at once. */
async function drive(ms) {
  const start = performance.now();
  const results = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const due = start + (next * 1000) / rate;
      if (due - start >= ms) return;
      next++;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      results.push(await post());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { start, results };
}

const allArrived = (results) => () =>
  results.every((r) => r.id === undefined || arrivals.has(r.id));

async function main() {
  const nc = await connect({ servers: natsUrl, timeout: config.readyTimeoutMs });
  nc.subscribe(subject, { callback: onMessage });
  // the subscription is registered on the server once the flush returns
  await nc.flush();

  // ready when one change made it through the app's relay (its NATS connection is in the background)
  const probe = await post();
  if (probe.id === undefined) throw new Error(`probe POST /products gave ${probe.status}`);
  if (!(await waitUntil(allArrived([probe]), config.readyTimeoutMs, 20))) {
    throw new Error(`the probe's event did not reach NATS within ${config.readyTimeoutMs} ms`);
  }

  const warm = await drive(warmupMs);
  await waitUntil(allArrived(warm.results), config.settleTimeoutMs);
  log(`warm-up: ${warm.results.length} changes`);

  const { start, results } = await drive(durationMs);
  await waitUntil(allArrived(results), config.settleTimeoutMs);

  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  let duplicates = 0;
  for (const count of deliveries.values()) duplicates += count - 1;
  await nc.close();
  finish({
    start,
    statuses,
    duplicates,
    changes: results
      .filter((r) => r.id !== undefined)
      .map((r) => [r.sentAt, r.doneAt, arrivals.get(r.id) ?? null]),
  });
}

main().catch(fail);
