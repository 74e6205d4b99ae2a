/* The rates board: a row per item with its rate, its last change (flashing when it moves) and
 * a sparkline; a click on a row shows that item on the chart. */
import { el, formatDelta, formatRate } from './live-dom.js';
import { items, onItems, pair, rateMoved, sortedItems } from './live-items.js';
import { forgetSeries, lastChange, loadSeries, pushPoint, sparkline } from './live-sparkline.js';

const body = document.getElementById('board-rows');
const count = document.getElementById('board-count');

/** id → its row. */
const rows = new Map();
let onSelect = () => {};
let selectedId = null;

/** `handler(id)` when a row is picked (a click, or Enter on a focused row). */
export function onRowSelect(handler) {
  onSelect = handler;
}

export function markSelected(id) {
  selectedId = id;
  rows.forEach((tr, rowId) => tr.setAttribute('aria-selected', String(rowId === id)));
}

function makeRow(item) {
  const tr = el('tr');
  tr.dataset.id = String(item.id);
  tr.tabIndex = 0;
  tr.setAttribute('aria-selected', String(item.id === selectedId));
  const th = el('th', 'pair');
  th.scope = 'row';
  tr.append(th, el('td', 'rate'), el('td', 'change', '—'), el('td', 'spark'));
  tr.addEventListener('click', () => onSelect(item.id));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(item.id);
    }
  });
  rows.set(item.id, tr);
  return tr;
}

function fillRow(tr, item) {
  tr.cells[0].textContent = pair(item);
  tr.cells[0].title = `source: ${item.source}`;
  tr.cells[1].textContent = formatRate(item.rate);
  tr.dataset.rate = String(item.rate);
}

function showChange(tr, from, to) {
  const delta = to - from;
  const dir = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const arrow = { up: '▲', down: '▼', flat: '=' }[dir];
  const cell = tr.cells[2];
  cell.dataset.dir = dir;
  cell.replaceChildren(
    el('span', 'arrow', arrow),
    document.createTextNode(` ${formatDelta(delta)}`),
    el('span', 'pct', from ? ` (${formatDelta((delta / from) * 100)}%)` : ''),
  );
  cell.title = `from ${formatRate(from)} to ${formatRate(to)}`;
  return dir;
}

/** Restarts the row's animation: the class comes off, a reflow, and it goes on again. */
function flash(tr, dir) {
  tr.classList.remove('flash');
  tr.dataset.dir = dir;
  void tr.offsetWidth;
  tr.classList.add('flash');
  tr.dataset.moves = String(Number(tr.dataset.moves || 0) + 1);
}

function drawSpark(id) {
  const tr = rows.get(id);
  if (tr) {
    tr.cells[3].replaceChildren(sparkline(id));
  }
}

function placeRows() {
  body.replaceChildren(...sortedItems().map((item) => rows.get(item.id) || makeRow(item)));
  count.textContent = `${items.size} item${items.size === 1 ? '' : 's'}`;
  count.dataset.items = String(items.size);
  if (items.size === 0) {
    const empty = el('td', 'empty', 'No rates yet: create one below, or run a sync.');
    empty.colSpan = 4;
    const tr = el('tr');
    tr.append(empty);
    body.replaceChildren(tr);
  }
}

function reload() {
  [...rows.keys()].filter((id) => !items.has(id)).forEach((id) => rows.delete(id));
  placeRows();
  items.forEach((item) => {
    const tr = rows.get(item.id);
    fillRow(tr, item);
    drawSpark(item.id);
  });
  void loadSeries(
    sortedItems().map((item) => item.id),
    (id) => {
      const tr = rows.get(id);
      const change = lastChange(id);
      // a move seen live already says what the last change was
      if (tr && change && !tr.classList.contains('flash')) {
        showChange(tr, change[0], change[1]);
      }
      drawSpark(id);
    },
  );
}

onItems((change) => {
  if (change.kind === 'reload') {
    reload();
    return;
  }
  const { item } = change;
  if (change.kind === 'deleted') {
    rows.delete(item.id);
    forgetSeries(item.id);
    placeRows();
    return;
  }
  const known = rows.has(item.id);
  const tr = rows.get(item.id) || makeRow(item);
  fillRow(tr, item);
  if (!known || !change.before || pair(change.before) !== pair(item)) {
    placeRows();
  }
  if (!known || rateMoved(change)) {
    pushPoint(item);
    drawSpark(item.id);
  }
  if (rateMoved(change)) {
    flash(tr, showChange(tr, change.before.rate, item.rate));
  }
});
