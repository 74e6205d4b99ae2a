/* The live page: a rates board fed by the event stream of /ws/items, a chart of one item (a
 * line of its points, or candlesticks), a conversion box, the event lists and a form that
 * creates an item. Plain modules, no build step; every request goes to the page's own origin,
 * so it works offline and under `script-src 'self'`. This module keeps the WebSocket
 * connection and hands each event to the lists and to the items' store, which the rest follow. */
import './live-board.js';
import './live-chart.js';
import './live-convert.js';
import { addEvent, addNote } from './live-events.js';
import './live-form.js';
import { applyEvent, loadItems } from './live-items.js';
import { resumeQuery, setPosition } from './live-position.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;
/** The page pings this often; a connection silent for SILENT_MS is presumed dead and replaced. */
const PING_MS = 20000;
const SILENT_MS = 45000;

const conn = document.getElementById('conn');

let socket = null;
let attempt = 0;
let connects = 0;
let instance = '';
let lastFrameAt = 0;
let retryTimer = null;
/** Between a resuming connect and `resumed`: the events that arrive are the ones missed. */
let resuming = false;
let missed = [];
let liveEpoch = null;

function setConn(state, text) {
  conn.dataset.state = state;
  conn.textContent = text;
}

function connect() {
  clearTimeout(retryTimer);
  setConn('connecting', attempt === 0 ? 'connecting…' : `reconnecting (attempt ${attempt + 1})…`);
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  // the query form resumes before any live event, so the replay is exactly what was missed
  const query = resumeQuery();
  resuming = query !== '';
  missed = [];
  const ws = new WebSocket(`${scheme}${location.host}/ws/items${query}`);
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    connects += 1;
    conn.dataset.connects = String(connects);
    lastFrameAt = Date.now();
    setConn('open', 'open');
    if (!resuming) {
      // nothing to resume from: the state comes from REST
      void resync();
    }
  };
  ws.onmessage = (message) => {
    lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch {
      return;
    }
    onFrame(frame);
  };
  ws.onclose = (close) => {
    if (socket === ws) {
      retry(`closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`);
    }
  };
}

/** Exponential backoff with jitter, from RETRY_MIN_MS up to RETRY_MAX_MS. */
function retry(why) {
  socket = null;
  const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt) * (0.8 + Math.random() * 0.4);
  attempt += 1;
  setConn('closed', `${why} · retrying in ${(delay / 1000).toFixed(1)} s`);
  retryTimer = setTimeout(connect, delay);
}

setInterval(() => {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    return;
  }
  if (Date.now() - lastFrameAt > SILENT_MS) {
    // a half-open connection may take minutes to report its close: drop it and start over
    const dead = socket;
    socket = null;
    dead.close();
    retry('no answer from the server');
    return;
  }
  socket.send(JSON.stringify({ event: 'ping' }));
}, PING_MS);

window.addEventListener('online', () => {
  if (!socket) {
    attempt = 0;
    connect();
  }
});

function onFrame(frame) {
  if (!frame || typeof frame.event !== 'string') {
    return;
  }
  switch (frame.event) {
    case 'welcome':
      instance = String(frame.payload && frame.payload.instance);
      setConn('open', `open · ${instance}`);
      liveEpoch = frame.payload && frame.payload.epoch;
      if (!resuming) {
        setPosition(frame.payload && frame.payload.seq, liveEpoch);
      }
      return;
    case 'resumed':
      onResumed(frame.payload || {});
      return;
    case 'pong':
    case 'subscribed':
      return;
    case 'error':
      addNote(`server: ${frame.payload && frame.payload.message}`);
      if (resuming) {
        onResumed({ recovered: false });
      }
      return;
  }
  if (typeof frame.id !== 'string' || !frame.payload) {
    return;
  }
  addEvent(frame, resuming);
  if (resuming) {
    missed.push(frame.seq);
  }
  applyEvent(frame);
  setPosition(frame.seq);
}

/** After a (re)connect that could not replay: the items and their histories come from REST. */
async function resync() {
  try {
    await loadItems();
  } catch (error) {
    addNote(`items not loaded (${error.message})`);
  }
}

function onResumed(payload) {
  resuming = false;
  if (payload.recovered === true) {
    const range = missed.length ? ` (#${missed[0]}–#${missed[missed.length - 1]})` : '';
    addNote(
      missed.length
        ? `reconnected: ${missed.length} event${missed.length === 1 ? '' : 's'} missed while away, listed below${range}`
        : 'reconnected: nothing was missed',
    );
    return;
  }
  // the server cannot replay from our position (older than it keeps, or a new stream)
  setPosition(payload.seq, liveEpoch);
  const kept = payload.earliest_seq ? `; the oldest kept is #${payload.earliest_seq}` : '';
  addNote(`reconnected: the events missed while away could not be listed${kept}; state reloaded`);
  void resync();
}

connect();
