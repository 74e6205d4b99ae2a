'use strict';
// The load processes of the replay benchmark (bench/events-replay.js runs them). Modes:
//   ws:    one WebSocket client on /ws/items: takes `epoch` from the welcome frame, sends
//          {"event": "resume", "data": {"after": 0, "epoch": …}} (SPEC §10) and counts the event
//          frames until {"event": "resumed", …}; checks they are seq after+1, after+2, … once, in
//          order. Prints the timings and the resumed frame.
//   feed:  the HTTP feed, GET /events?after=…&limit=1000 paged until an empty page.
//   db:    the reference: the same rows read straight from the SQLite file, 1,000 a page, with
//          each envelope parsed (what any server must at least do to send them).
// Usage: node bench/events-replay-client.js '{"mode":"ws","url":"http://127.0.0.1:3000",...}'
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { finish, fail } = require('./events-common');

const config = JSON.parse(process.argv[2]);

/** Counts a seq against the expected next one; returns the next expected. */
function check(state, seq) {
  if (seq === state.next) state.next++;
  else if (seq < state.next) state.repeated++;
  else {
    state.gaps += seq - state.next;
    state.next = seq + 1;
  }
  state.count++;
}

function ws({ url, after, timeoutMs, idleMs }) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/items`, {
      perMessageDeflate: false,
      maxPayload: 1 << 30,
    });
    const state = { next: after + 1, count: 0, repeated: 0, gaps: 0, bytes: 0 };
    let welcome;
    let sentAt;
    let firstAt;
    const giveUp = (why) => () => {
      socket.terminate();
      resolve({ timedOut: why, welcome, ...state, ms: performance.now() - (sentAt ?? 0) });
    };
    const timer = setTimeout(giveUp('overall'), timeoutMs);
    // a server without resume says nothing: stop waiting once it has been quiet this long
    let idle = setTimeout(giveUp('idle'), idleMs);
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(giveUp('idle'), idleMs);
    };
    socket.on('message', (data) => {
      alive();
      const frame = JSON.parse(data);
      if (!welcome) {
        if (frame.event !== 'welcome') return reject(new Error(`first frame ${frame.event}`));
        welcome = frame.payload;
        sentAt = performance.now();
        socket.send(JSON.stringify({ event: 'resume', data: { after, epoch: welcome.epoch } }));
        return;
      }
      if (typeof frame.seq === 'number') {
        firstAt ??= performance.now();
        state.bytes += data.length;
        check(state, frame.seq);
        return;
      }
      if (frame.event === 'resumed' || frame.event === 'error') {
        const doneAt = performance.now();
        clearTimeout(timer);
        clearTimeout(idle);
        socket.close();
        resolve({
          welcome,
          frame,
          ...state,
          ms: doneAt - sentAt,
          firstMs: firstAt === undefined ? null : firstAt - sentAt,
        });
      }
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(idle);
      resolve({ closed: code, welcome, ...state, ms: performance.now() - (sentAt ?? 0) });
    });
    socket.on('error', reject);
  });
}

function getJson(agent, url, urlPath) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ agent, hostname, port, path: urlPath }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode, body: JSON.parse(text) });
          } catch (error) {
            reject(error);
          }
        });
      })
      .on('error', reject);
  });
}

async function feed({ url, after, limit }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const state = { next: after + 1, count: 0, repeated: 0, gaps: 0 };
  const started = performance.now();
  let cursor = after;
  let pages = 0;
  for (;;) {
    const { status, body } = await getJson(agent, url, `/events?after=${cursor}&limit=${limit}`);
    if (status !== 200) {
      return { status, body, ...state, ms: performance.now() - started };
    }
    // the feed may answer a bare list or wrap it; take whichever holds the envelopes
    const list = Array.isArray(body) ? body : (body.items ?? body.events ?? body.data ?? []);
    pages++;
    if (list.length === 0) break;
    for (const envelope of list) check(state, envelope.seq);
    cursor = list[list.length - 1].seq;
  }
  agent.destroy();
  return { status: 200, pages, ...state, ms: performance.now() - started };
}

async function db({ dbFile, after, limit }) {
  const sqlite3 = require('sqlite3');
  const handle = await new Promise((resolve, reject) => {
    const d = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (e) =>
      e ? reject(e) : resolve(d),
    );
  });
  const state = { next: after + 1, count: 0, repeated: 0, gaps: 0 };
  const started = performance.now();
  let cursor = after;
  for (;;) {
    const rows = await new Promise((resolve, reject) =>
      handle.all(
        'SELECT seq, envelope FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
        [cursor, limit],
        (e, r) => (e ? reject(e) : resolve(r)),
      ),
    );
    if (rows.length === 0) break;
    for (const row of rows) check(state, JSON.parse(row.envelope).seq);
    cursor = Number(rows[rows.length - 1].seq);
  }
  const ms = performance.now() - started;
  await new Promise((resolve) => handle.close(resolve));
  return { ...state, ms };
}

const MODES = { ws, feed, db };
Promise.resolve()
  .then(() => MODES[config.mode](config))
  .then(finish)
  .catch(fail);
