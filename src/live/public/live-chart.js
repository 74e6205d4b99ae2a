/* The live page's items and chart: one item's rate, its history first, then points from the
 * stream (uPlot, loaded before this module as a classic script). */
import { addNote } from './live-events.js';

const MAX_POINTS = 2000;

const byId = (id) => document.getElementById(id);
const select = byId('item');
const pointsOut = byId('points');
const chartBox = byId('chart');

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

export const pair = (item) => `${item.base}/${item.code}`;

function renderOptions() {
  const sorted = [...items.values()].sort((a, b) => pair(a).localeCompare(pair(b)));
  const options = [new Option(sorted.length ? '— pick an item —' : '— no items yet —', '')];
  sorted.forEach((item) => options.push(new Option(pair(item), String(item.id))));
  select.replaceChildren(...options);
  select.value = selected !== null && items.has(selected) ? String(selected) : '';
}

export function rememberItem(item) {
  const known = items.get(item.id);
  items.set(item.id, item);
  if (!known || pair(known) !== pair(item)) {
    renderOptions();
  }
}

export async function selectItem(id) {
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

export function applyEvent({ event, payload }) {
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
export async function resync() {
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

const fromHash = /^#item=(\d+)$/.exec(location.hash);
if (fromHash) {
  selected = Number(fromHash[1]);
}
