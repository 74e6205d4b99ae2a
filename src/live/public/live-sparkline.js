/* The board's sparklines: each item's recent rate points (its history, then the stream), drawn
 * as an SVG polyline. Only the first SPARK_ITEMS rows load a history, a few at a time, so a
 * board of a thousand items does not open with a thousand requests. */
import { getJson, svgEl } from './live-dom.js';

export const SPARK_POINTS = 30;
const SPARK_ITEMS = 100;
const PARALLEL = 4;
const WIDTH = 100;
const HEIGHT = 24;

/** id → { points: [[time, rate]] oldest first, pending: points seen while its history loads }. */
const series = new Map();
let generation = 0;

const entry = (id) => {
  if (!series.has(id)) {
    series.set(id, { points: [], pending: null });
  }
  return series.get(id);
};

export const pointsOf = (id) => (series.get(id) ? series.get(id).points : []);

/** The last change its points show: `[previous, latest]` or null. */
export function lastChange(id) {
  const points = pointsOf(id);
  return points.length < 2 ? null : [points[points.length - 2][1], points[points.length - 1][1]];
}

function insert(points, [time, rate]) {
  if (points.some(([t]) => t === time)) {
    return;
  }
  points.push([time, rate]);
  points.sort((a, b) => a[0] - b[0]);
  points.splice(0, Math.max(0, points.length - SPARK_POINTS));
}

/** A point when an item's rate moved. */
export function pushPoint(item) {
  const point = [Date.parse(item.updated_at), item.rate];
  const known = entry(item.id);
  if (known.pending) {
    known.pending.push(point);
  } else {
    insert(known.points, point);
  }
}

export function forgetSeries(id) {
  series.delete(id);
}

/** Loads the histories of the first ids; `loaded(id)` after each, in no particular order. */
export function loadSeries(ids, loaded) {
  const token = ++generation;
  series.clear();
  const queue = ids.slice(0, SPARK_ITEMS);
  queue.forEach((id) => (entry(id).pending = []));
  const worker = async () => {
    while (queue.length && token === generation) {
      const id = queue.shift();
      let rows = [];
      try {
        rows = await getJson(`/items/${id}/history?limit=${SPARK_POINTS}`);
      } catch {
        // an item deleted meanwhile, or the service away: that row keeps no sparkline
      }
      const known = series.get(id);
      if (token !== generation || !known) {
        return;
      }
      const pending = known.pending || [];
      known.pending = null;
      rows.forEach((row) => insert(known.points, [Date.parse(row.recorded_at), row.rate]));
      pending.forEach((point) => insert(known.points, point));
      loaded(id);
    }
  };
  return Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** An SVG of the points, scaled to their own range; empty below two points. */
export function sparkline(id) {
  const points = pointsOf(id);
  const svg = svgEl('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    class: 'sparkline',
    'aria-hidden': 'true',
    'data-points': points.length,
  });
  if (points.length < 2) {
    return svg;
  }
  const rates = points.map(([, rate]) => rate);
  const low = Math.min(...rates);
  const span = Math.max(...rates) - low || 1;
  const step = WIDTH / (points.length - 1);
  const coords = rates.map(
    (rate, i) =>
      `${(i * step).toFixed(2)},${(HEIGHT - 2 - ((rate - low) / span) * (HEIGHT - 4)).toFixed(2)}`,
  );
  const trend = rates[rates.length - 1] >= rates[0] ? 'up' : 'down';
  svg.append(svgEl('polyline', { points: coords.join(' '), class: trend }));
  return svg;
}
