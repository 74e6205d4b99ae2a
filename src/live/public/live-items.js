/* The items as the page knows them: loaded over REST, then kept up to date by the stream's
 * events. The board, the chart and the conversion box listen here instead of reading frames. */
import { getJson } from './live-dom.js';

/** id → item, as the last REST answer or event showed it. */
export const items = new Map();
const listeners = new Set();

export const pair = (item) => `${item.base}/${item.code}`;

/** The items in board order: by pair, so a row keeps its place while rates move. */
export const sortedItems = () =>
  [...items.values()].sort((a, b) => pair(a).localeCompare(pair(b)) || a.id - b.id);

/**
 * `change.kind`: `reload` (everything may differ), `upsert` (`item`, and `before` unless it is
 * new) or `deleted` (`item`).
 */
export function onItems(listener) {
  listeners.add(listener);
}

/** Each listener on its own: one that throws (reported on the console) leaves the others current. */
function notify(change) {
  listeners.forEach((listener) => {
    try {
      listener(change);
    } catch (error) {
      console.error('a view failed to apply a change', error);
    }
  });
}

export function rememberItem(item) {
  const before = items.get(item.id);
  items.set(item.id, item);
  notify({ kind: 'upsert', item, before });
}

export async function loadItems() {
  const list = await getJson('/items?limit=1000');
  items.clear();
  list.forEach((item) => items.set(item.id, item));
  notify({ kind: 'reload' });
}

export function applyEvent({ event, payload }) {
  switch (event) {
    case 'item.created':
    case 'item.updated':
      rememberItem(payload);
      return;
    case 'item.deleted':
      items.delete(payload.id);
      notify({ kind: 'deleted', item: payload });
      return;
    case 'rates.synced':
      (payload.changed || []).forEach(rememberItem);
      return;
  }
}

/** Whether a change moved an item's rate (a rename, or the same rate again, does not). */
export const rateMoved = (change) =>
  change.kind === 'upsert' &&
  change.before !== undefined &&
  change.before.rate !== change.item.rate;
