'use strict';
// Shared by the load processes of bench/events.js (events-ws-clients.js, events-nats-load.js):
// timed product creation over keep-alive HTTP, polling with a deadline, and the result line.
const crypto = require('node:crypto');
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => process.stderr.write(`[load] ${message}\n`);

/** Polls `done()` every `everyMs` until it is true; false once `timeoutMs` has passed. */
async function waitUntil(done, timeoutMs, everyMs = 5) {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/**
 * POSTs new products; each call resolves with the product id (or an error status) and the
 * performance.now() times the request left and its whole response had arrived.
 */
function productPoster(baseUrl, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  let sequence = 0;
  return () =>
    new Promise((resolve) => {
      const body = JSON.stringify({
        name: `events bench ${++sequence} ${crypto.randomBytes(4).toString('hex')}`,
        price: 1 + (sequence % 1000) / 100,
      });
      const sentAt = performance.now();
      const request = http.request(
        {
          agent,
          hostname,
          port,
          method: 'POST',
          path: '/products',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => {
            const doneAt = performance.now();
            const id = response.statusCode === 201 ? JSON.parse(text).id : undefined;
            resolve({ id, status: response.statusCode, sentAt, doneAt });
          });
        },
      );
      request.on('error', (error) =>
        resolve({
          id: undefined,
          status: error.code ?? 'error',
          sentAt,
          doneAt: performance.now(),
        }),
      );
      request.end(body);
    });
}

/** The one JSON line the driver reads; exits once stdout has taken it. */
function finish(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

/** A failure ends the process with a message (the driver prints the tail of stderr). */
function fail(error) {
  log(error instanceof Error ? error.stack : String(error));
  process.exit(1);
}

module.exports = { sleep, log, waitUntil, productPoster, finish, fail };
