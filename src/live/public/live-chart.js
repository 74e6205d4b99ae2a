/* The chart: the selected item (the first on the board until one is picked), as a line of its
 * points (uPlot, loaded before this module as a classic script: its history, then the stream)
 * or as candlesticks by interval (live-candles.js). */
import { markSelected, onRowSelect } from './live-board.js';
import {
  candlePoint,
  hideCandles,
  onCandleStatus,
  resizeCandles,
  showCandles,
} from './live-candles.js';
import { getJson } from './live-dom.js';
import { addNote } from './live-events.js';
import { items, onItems, pair, rateMoved, sortedItems } from './live-items.js';

const MAX_POINTS = 2000;
const HEIGHT = 300;

const byId = (id) => document.getElementById(id);
const select = byId('item');
const pointsOut = byId('points');
const chartBox = byId('chart');
const views = byId('views');

let selected = null;
/** `line`, or a candle interval (`1m` … `1d`). */
let view = 'line';
/** time (ms) → rate of the selected item; keyed by time so a point seen twice is drawn once. */
let points = new Map();
/** While the history loads, points from the stream wait here (then merge): none is lost. */
let pendingPoints = null;
let loadToken = 0;
let plot = null;

function renderOptions() {
  const sorted = sortedItems();
  const options = [new Option(sorted.length ? '— pick an item —' : '— no items yet —', '')];
  sorted.forEach((item) => options.push(new Option(pair(item), String(item.id))));
  select.replaceChildren(...options);
  select.value = selected !== null && items.has(selected) ? String(selected) : '';
}

export async function selectItem(id) {
  selected = id;
  select.value = id === null ? '' : String(id);
  markSelected(id);
  history.replaceState(null, '', id === null ? location.pathname : `#item=${id}`);
  points = new Map();
  destroyPlot();
  hideCandles();
  if (id === null) {
    showPoints('no item selected');
    return;
  }
  await load();
}

/** The selected item's data for the current view. */
function load() {
  if (view === 'line') {
    return loadHistory(selected);
  }
  ++loadToken;
  pendingPoints = null;
  return showCandles(selected, view);
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
  if (view !== 'line') {
    candlePoint(item);
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

const first = () => (items.size ? sortedItems()[0].id : null);

onItems((change) => {
  if (change.kind === 'reload') {
    renderOptions();
    if (selected === null || !items.has(selected)) {
      void selectItem(first());
    } else {
      markSelected(selected);
      void load();
    }
    return;
  }
  const { item, before } = change;
  if (change.kind === 'deleted') {
    renderOptions();
    if (item.id === selected) {
      addNote(`${pair(item)} was deleted`);
      void selectItem(first());
    }
    return;
  }
  if (!before || pair(before) !== pair(item)) {
    renderOptions();
  }
  if (selected === null) {
    void selectItem(item.id);
  } else if (item.id === selected && (!before || rateMoved(change))) {
    addPoint(item);
  }
});

function showPoints(text, count = 0, unit = 'points') {
  pointsOut.dataset.points = unit === 'points' ? String(count) : '0';
  pointsOut.dataset.candles = unit === 'candles' ? String(count) : '0';
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
      height: HEIGHT,
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
    plot.setSize({ width: Math.max(200, chartBox.clientWidth), height: HEIGHT });
  }
  resizeCandles();
}).observe(chartBox);

select.addEventListener('change', () => {
  void selectItem(select.value === '' ? null : Number(select.value));
});
onRowSelect((id) => void selectItem(id));
onCandleStatus(showPoints);

views.addEventListener('change', (event) => {
  view = event.target.value;
  void selectItem(selected);
});

const fromHash = /^#item=(\d+)$/.exec(location.hash);
if (fromHash) {
  selected = Number(fromHash[1]);
}
