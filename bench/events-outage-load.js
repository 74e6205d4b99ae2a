'use strict';
// The load processes of the NATS outage benchmark (bench/events-outage.js runs them on the load
// core). Two modes:
//   gets: GET /products/{random id} at `rate` per second, evenly spaced and open loop (latency
//         counted from when each request was due, at most `connections` in flight), until SIGTERM;
//         prints every sample as [due (wall clock ms), latency ms, status], so the driver can cut
//         the idle and the drain windows out of one run.
//   fill: `count` POST /products, `concurrency` in flight, as fast as the app takes them; prints
//         how many got 201 and how long it took.
//   jetstream: the reference: a bare nats.js client publishes `count` envelopes of `bytes` each
//         to a scratch stream, with Nats-Msg-Id, in batches of `batch` pipelined acks (the way
//         the relay does), and prints the rate acks came back at.
// Usage: node bench/events-outage-load.js '{"mode":"gets","url":"http://127.0.0.1:3000",...}'
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { log, productPoster, finish, fail } = require('./events-common');

const config = JSON.parse(process.argv[2]);

function gets({ url, rate, connections, maxId }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(url);
  const interval = 1000 / rate;
  const start = performance.now();
  const samples = [];
  let sent = 0;
  let errors = 0;
  let timer;
  const send = (due) => {
    const path = `/products/${1 + Math.floor(Math.random() * maxId)}`;
    const request = http.request({ agent, hostname, port, method: 'GET', path }, (response) => {
      response.resume();
      response.on('end', () =>
        samples.push([performance.timeOrigin + due, performance.now() - due, response.statusCode]),
      );
    });
    request.on('error', () => errors++);
    request.end();
  };
  const tick = () => {
    const now = performance.now();
    // every request now due goes out, however many answers are still missing
    while (start + sent * interval <= now) send(start + sent++ * interval);
    timer = setTimeout(tick, start + sent * interval - performance.now());
  };
  process.once('SIGTERM', () => {
    clearTimeout(timer);
    agent.destroy();
    finish({ sent, errors, samples });
  });
  tick();
}

async function fill({ url, count, concurrency }) {
  const post = productPoster(url, concurrency);
  const started = performance.now();
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { status } = await post();
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  log(`fill: ${count} POST /products in ${Math.round(ms)} ms`);
  finish({ created: statuses[201] ?? 0, statuses, ms });
}

async function jetstream({ natsUrl, count, bytes, batch, stream, subject }) {
  const crypto = require('node:crypto');
  const { connect } = require('nats');
  const nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: 600e9 });
  const js = nc.jetstream();
  const pad = 'x'.repeat(Math.max(0, bytes - 150));
  const started = performance.now();
  for (let first = 0; first < count; first += batch) {
    const acks = [];
    for (let i = first; i < Math.min(count, first + batch); i++) {
      const id = crypto.randomUUID();
      const data = JSON.stringify({ id, seq: i + 1, event: 'product.created', payload: pad });
      acks.push(js.publish(subject, data, { msgID: id, timeout: 2000 }));
    }
    await Promise.all(acks);
  }
  const ms = performance.now() - started;
  const info = await jsm.streams.info(stream);
  await jsm.streams.delete(stream);
  await nc.close();
  finish({ count, ms, stored: info.state.messages });
}

const MODES = { gets, fill, jetstream };
Promise.resolve()
  .then(() => MODES[config.mode](config))
  .catch(fail);
