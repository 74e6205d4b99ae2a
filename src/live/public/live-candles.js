/* Candlesticks of the selected item by interval, drawn by hand in SVG: the buckets of
 * `GET /items/{id}/history?interval=…` (newest first), then the stream's points folded into the
 * newest bucket or a new one. */
import { formatRate, getJson, svgEl } from './live-dom.js';

const axisFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });

const INTERVAL_MS = { '1m': 60e3, '5m': 300e3, '15m': 900e3, '1h': 3600e3, '1d': 86400e3 };
const HEIGHT = 300;
const PAD = { top: 12, right: 72, bottom: 24, left: 8 };
/** A candle slot is at least this wide, so a phone shows fewer, readable candles. */
const MIN_SLOT = 9;

const box = document.getElementById('chart');

/** The shown item's buckets, oldest first, `start` in ms. */
let candles = [];
let shown = null;
/** The item whose buckets are loading, and whether it moved meanwhile (the answer may miss it). */
let loading = null;
let token = 0;
let drawnWidth = 0;
/** Where the chart says what it shows: `status(text, count, unit)`. */
let showPoints = () => {};

export function onCandleStatus(status) {
  showPoints = status;
}

export function hideCandles() {
  ++token;
  shown = null;
  loading = null;
  candles = [];
  box.querySelector('svg.candles')?.remove();
}

const capacity = () =>
  Math.max(5, Math.floor((Math.max(200, box.clientWidth) - PAD.left - PAD.right) / MIN_SLOT));

export async function showCandles(id, interval) {
  const mine = ++token;
  shown = null;
  loading = { id, moved: false };
  showPoints(`loading ${interval} candles…`);
  let buckets;
  try {
    buckets = await getJson(
      `/items/${id}/history?interval=${interval}&limit=${Math.min(1000, capacity())}`,
    );
  } catch (error) {
    if (mine === token) {
      loading = null;
      showPoints(`candles not loaded (${error.message})`);
    }
    return;
  }
  if (mine !== token) {
    return;
  }
  if (loading.moved) {
    // a bucket cannot tell whether it already holds that point: ask again
    return showCandles(id, interval);
  }
  loading = null;
  shown = { id, interval };
  candles = buckets.map((b) => ({ ...b, start: Date.parse(b.start) })).reverse();
  draw();
}

/** A rate that moved: the newest bucket takes it, or it opens the next one. */
export function candlePoint(item) {
  if (loading && loading.id === item.id) {
    loading.moved = true;
  }
  if (!shown || shown.id !== item.id) {
    return;
  }
  const size = INTERVAL_MS[shown.interval];
  const start = Math.floor(Date.parse(item.updated_at) / size) * size;
  const last = candles[candles.length - 1];
  if (last && last.start === start) {
    last.high = Math.max(last.high, item.rate);
    last.low = Math.min(last.low, item.rate);
    last.close = item.rate;
    last.points += 1;
  } else if (!last || start > last.start) {
    const open = item.rate;
    candles.push({ start, open, high: open, low: open, close: open, points: 1 });
  } else {
    return;
  }
  draw();
}

export function resizeCandles() {
  if (shown && box.clientWidth !== drawnWidth) {
    draw();
  }
}

function label(start, interval) {
  const date = new Date(start);
  return interval === '1d'
    ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function draw() {
  box.querySelector('svg.candles')?.remove();
  drawnWidth = box.clientWidth;
  const width = Math.max(200, drawnWidth);
  const visible = candles.slice(-capacity());
  const n = visible.length;
  showPoints(`${n} candle${n === 1 ? '' : 's'} · ${shown.interval}`, n, 'candles');
  const svg = svgEl('svg', {
    class: 'candles',
    width,
    height: HEIGHT,
    viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${n} ${shown.interval} candlesticks`,
  });
  box.append(svg);
  if (n === 0) {
    svg.append(svgEl('text', { x: width / 2, y: HEIGHT / 2, class: 'empty' }));
    svg.lastChild.textContent = 'no points in this range';
    return;
  }
  let low = Math.min(...visible.map((c) => c.low));
  let high = Math.max(...visible.map((c) => c.high));
  if (high === low) {
    // one flat price: give it a band around it to sit in
    const pad = Math.abs(high) * 0.001 || 1;
    low -= pad;
    high += pad;
  }
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v) => PAD.top + ((high - v) / (high - low)) * plotH;
  const slot = (width - PAD.left - PAD.right) / Math.max(n, 10);
  const x = (i) => PAD.left + slot * (i + 0.5);
  for (let i = 0; i <= 4; i += 1) {
    const value = low + ((high - low) * i) / 4;
    const gy = y(value);
    svg.append(
      svgEl('line', { x1: PAD.left, x2: width - PAD.right, y1: gy, y2: gy, class: 'grid' }),
    );
    const text = svgEl('text', { x: width - PAD.right + 6, y: gy + 4, class: 'axis' });
    text.textContent = axisFormat.format(value);
    svg.append(text);
  }
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor((width - PAD.right) / 90))));
  visible.forEach((c, i) => {
    const dir = c.close > c.open ? 'up' : c.close < c.open ? 'down' : 'flat';
    const g = svgEl('g', { class: `candle ${dir}`, 'data-start': new Date(c.start).toISOString() });
    const title = svgEl('title');
    title.textContent =
      `${new Date(c.start).toLocaleString()} · open ${formatRate(c.open)} high ${formatRate(c.high)}` +
      ` low ${formatRate(c.low)} close ${formatRate(c.close)} · ${c.points} point${c.points === 1 ? '' : 's'}`;
    const top = y(Math.max(c.open, c.close));
    const bodyW = Math.max(1, slot * 0.6);
    g.append(
      title,
      svgEl('line', { x1: x(i), x2: x(i), y1: y(c.high), y2: y(c.low), class: 'wick' }),
      svgEl('rect', {
        x: x(i) - bodyW / 2,
        y: top,
        width: bodyW,
        height: Math.max(1, y(Math.min(c.open, c.close)) - top),
        class: 'body',
      }),
    );
    svg.append(g);
    if (i % every === 0) {
      const text = svgEl('text', { x: x(i), y: HEIGHT - 6, class: 'axis time' });
      text.textContent = label(c.start, shown.interval);
      svg.append(text);
    }
  });
}
