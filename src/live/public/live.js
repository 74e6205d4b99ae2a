/* The live page: the event stream of /ws/items, a chart of one item's rate (its history, then
 * points from the stream) and a form that creates an item. Plain script, no build step; every
 * request goes to the page's own origin, so it works offline and under `script-src 'self'`. */
(function () {
  'use strict';

  const MAX_EVENTS = 200;
  const MAX_POINTS = 2000;
  const RETRY_MIN_MS = 500;
  const RETRY_MAX_MS = 10000;
  /** The page pings this often; a connection silent for SILENT_MS is presumed dead and replaced. */
  const PING_MS = 20000;
  const SILENT_MS = 45000;

  const byId = (id) => document.getElementById(id);
  const conn = byId('conn');
  const eventList = byId('events');
  const eventCount = byId('event-count');
  const select = byId('item');
  const pointsOut = byId('points');
  const chartBox = byId('chart');
  const form = byId('create-item');
  const formStatus = byId('form-status');

  // ---------------------------------------------------------------- connection

  let socket = null;
  let attempt = 0;
  let connects = 0;
  let instance = '';
  let lastFrameAt = 0;
  let retryTimer = null;

  function setConn(state, text) {
    conn.dataset.state = state;
    conn.textContent = text;
  }

  function connect() {
    clearTimeout(retryTimer);
    setConn('connecting', attempt === 0 ? 'connecting…' : `reconnecting (attempt ${attempt + 1})…`);
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(`${scheme}${location.host}/ws/items`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      connects += 1;
      conn.dataset.connects = String(connects);
      lastFrameAt = Date.now();
      setConn('open', 'open');
      if (connects > 1) {
        addNote('reconnected: events sent while disconnected are not listed; rates reloaded');
      }
      resync();
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
        return;
      case 'pong':
      case 'subscribed':
        return;
      case 'error':
        addNote(`server: ${frame.payload && frame.payload.message}`);
        return;
    }
    if (typeof frame.id !== 'string' || !frame.payload) {
      return;
    }
    addEvent(frame);
    applyEvent(frame);
  }

  // ---------------------------------------------------------------- event list

  let received = 0;

  function describe(event, p) {
    if (event.startsWith('product.')) {
      return `#${p.id} ${p.name} · ${p.price}`;
    }
    if (event.startsWith('item.')) {
      return `${p.base}/${p.code} = ${p.rate} (${p.source})`;
    }
    if (event === 'rates.synced') {
      const pairs = (p.changed || []).map((i) => `${i.base}/${i.code} ${i.rate}`);
      const shown = pairs.slice(0, 4).join(', ') + (pairs.length > 4 ? ', …' : '');
      return `${p.source}: ${pairs.length} changed${pairs.length ? ` — ${shown}` : ''}`;
    }
    if (event.startsWith('job.')) {
      return `${p.kind} ${p.state} ${p.processed}/${p.total}`;
    }
    return '';
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function prepend(li) {
    eventList.prepend(li);
    while (eventList.children.length > MAX_EVENTS) {
      eventList.lastElementChild.remove();
    }
  }

  function addEvent(envelope) {
    received += 1;
    eventCount.textContent = `${received} received${received > MAX_EVENTS ? `, last ${MAX_EVENTS} shown` : ''}`;
    const li = el('li');
    li.dataset.event = envelope.event;
    const details = el('details');
    const summary = el('summary');
    const time = el('time', '', new Date(envelope.ts).toLocaleTimeString());
    time.dateTime = envelope.ts;
    summary.append(
      time,
      el('span', 'name', envelope.event),
      el('span', 'text', describe(envelope.event, envelope.payload)),
    );
    details.append(summary, el('pre', '', JSON.stringify(envelope, null, 2)));
    li.append(details);
    prepend(li);
  }

  function addNote(text) {
    const li = el('li', 'note', text);
    prepend(li);
  }

  // ---------------------------------------------------------------- items and chart

  /** id → item, as the last REST answer or event showed it. */
  const items = new Map();
  let selected = null;
  /** time (ms) → rate of the selected item; keyed by time so a point seen twice is drawn once. */
  let points = new Map();
  /** While the history loads, points from the stream wait here (then merge): none is lost. */
  let pendingPoints = null;
  let loadToken = 0;
  let plot = null;

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!res.ok) {
      throw new Error(`${url}: ${res.status}`);
    }
    return res.json();
  }

  async function loadItems() {
    const list = await getJson('/items?limit=1000');
    items.clear();
    list.forEach((item) => items.set(item.id, item));
    renderOptions();
  }

  const pair = (item) => `${item.base}/${item.code}`;

  function renderOptions() {
    const sorted = [...items.values()].sort((a, b) => pair(a).localeCompare(pair(b)));
    const options = [new Option(sorted.length ? '— pick an item —' : '— no items yet —', '')];
    sorted.forEach((item) => options.push(new Option(pair(item), String(item.id))));
    select.replaceChildren(...options);
    select.value = selected !== null && items.has(selected) ? String(selected) : '';
  }

  function rememberItem(item) {
    const known = items.get(item.id);
    items.set(item.id, item);
    if (!known || pair(known) !== pair(item)) {
      renderOptions();
    }
  }

  async function selectItem(id) {
    selected = id;
    select.value = id === null ? '' : String(id);
    history.replaceState(null, '', id === null ? location.pathname : `#item=${id}`);
    points = new Map();
    destroyPlot();
    if (id === null) {
      showPoints('no item selected');
      return;
    }
    await loadHistory(id);
  }

  async function loadHistory(id) {
    const token = ++loadToken;
    pendingPoints = [];
    showPoints('loading…');
    let rows;
    try {
      rows = await getJson(`/items/${id}/history?limit=1000`);
    } catch (error) {
      if (token === loadToken) {
        pendingPoints = null;
        showPoints(`history not loaded (${error.message})`);
      }
      return;
    }
    if (token !== loadToken) {
      return;
    }
    points = new Map(rows.map((row) => [Date.parse(row.recorded_at), row.rate]));
    pendingPoints.forEach(([time, rate]) => points.set(time, rate));
    pendingPoints = null;
    draw();
  }

  /** A point when the selected item's rate moved (a rename or an unchanged rate adds none). */
  function addPoint(item) {
    if (item.id !== selected) {
      return;
    }
    const time = Date.parse(item.updated_at);
    if (pendingPoints) {
      pendingPoints.push([time, item.rate]);
      return;
    }
    const latest = [...points.keys()].reduce((a, b) => Math.max(a, b), -Infinity);
    if (points.has(time) || (latest !== -Infinity && points.get(latest) === item.rate)) {
      return;
    }
    points.set(time, item.rate);
    draw();
  }

  function applyEvent({ event, payload }) {
    switch (event) {
      case 'item.created':
      case 'item.updated':
        rememberItem(payload);
        addPoint(payload);
        return;
      case 'item.deleted':
        items.delete(payload.id);
        renderOptions();
        if (payload.id === selected) {
          void selectItem(null);
          addNote(`${pair(payload)} was deleted`);
        }
        return;
      case 'rates.synced':
        (payload.changed || []).forEach((item) => {
          rememberItem(item);
          addPoint(item);
        });
        return;
    }
  }

  function showPoints(text, count) {
    pointsOut.dataset.points = String(count || 0);
    pointsOut.textContent = text;
  }

  function draw() {
    const sorted = [...points].sort((a, b) => a[0] - b[0]).slice(-MAX_POINTS);
    const data = [sorted.map(([time]) => time / 1000), sorted.map(([, rate]) => rate)];
    const item = items.get(selected);
    showPoints(`${sorted.length} point${sorted.length === 1 ? '' : 's'}`, sorted.length);
    if (plot) {
      plot.setData(data);
      return;
    }
    plot = new uPlot(
      {
        width: Math.max(200, chartBox.clientWidth),
        height: 300,
        scales: { x: { time: true } },
        series: [
          {},
          {
            label: item ? `${pair(item)} rate` : 'rate',
            stroke:
              getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() ||
              '#2563eb',
            width: 2,
            points: { show: true, size: 6 },
          },
        ],
        axes: [{}, { size: 80 }],
      },
      data,
      chartBox,
    );
  }

  function destroyPlot() {
    if (plot) {
      plot.destroy();
      plot = null;
    }
  }

  new ResizeObserver(() => {
    if (plot) {
      plot.setSize({ width: Math.max(200, chartBox.clientWidth), height: 300 });
    }
  }).observe(chartBox);

  select.addEventListener('change', () => {
    void selectItem(select.value === '' ? null : Number(select.value));
  });

  /** After each (re)connect: the items and the selected history may have moved meanwhile. */
  async function resync() {
    try {
      await loadItems();
    } catch (error) {
      addNote(`items not loaded (${error.message})`);
      return;
    }
    if (selected !== null && !items.has(selected)) {
      await selectItem(null);
    } else if (selected !== null) {
      await loadHistory(selected);
    }
  }

  // ---------------------------------------------------------------- create form

  function showFormStatus(state, lines) {
    formStatus.dataset.state = state;
    if (lines.length === 1) {
      formStatus.replaceChildren(document.createTextNode(lines[0]));
      return;
    }
    const ul = el('ul');
    lines.forEach((line) => ul.append(el('li', '', line)));
    formStatus.replaceChildren(ul);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name) => String(data.get(name) || '').trim();
    const rate = text('rate');
    const body = {
      code: text('code').toUpperCase(),
      base: text('base').toUpperCase(),
      rate: rate === '' ? undefined : Number(rate),
    };
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (text('api_key')) {
      headers['X-API-Key'] = text('api_key');
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const res = await fetch('/items', { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => null);
      if (!res.ok) {
        const message = answer && answer.message;
        const lines = Array.isArray(message) ? message : [String(message || res.statusText)];
        showFormStatus('error', [`${res.status}: ${lines[0]}`, ...lines.slice(1)]);
        return;
      }
      showFormStatus('ok', [`created ${pair(answer)} = ${answer.rate} (#${answer.id})`]);
      form.elements.code.value = '';
      form.elements.rate.value = '';
      rememberItem(answer);
      await selectItem(answer.id);
    } catch (error) {
      showFormStatus('error', [`the service did not answer (${error.message})`]);
    } finally {
      button.disabled = false;
    }
  });

  // ---------------------------------------------------------------- start

  const fromHash = /^#item=(\d+)$/.exec(location.hash);
  if (fromHash) {
    selected = Number(fromHash[1]);
  }
  connect();
})();
