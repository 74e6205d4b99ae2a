/* The live page's event lists, the newest first: the rates' (items, syncs, jobs, and the page's
 * own notes) and the products', each keeping at most MAX_EVENTS. */
import { el } from './live-dom.js';

const MAX_EVENTS = 200;

const lists = {
  rates: { list: document.getElementById('events'), count: document.getElementById('event-count') },
  products: {
    list: document.getElementById('product-events'),
    count: document.getElementById('product-count'),
  },
};
const received = { rates: 0, products: 0 };

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

function prepend(li, list = lists.rates.list) {
  list.prepend(li);
  while (list.children.length > MAX_EVENTS) {
    list.lastElementChild.remove();
  }
}

/** `missed`: replayed after a reconnect, i.e. sent while the page was away. */
export function addEvent(envelope, missed = false) {
  const kind = envelope.event.startsWith('product.') ? 'products' : 'rates';
  const n = (received[kind] += 1);
  lists[kind].count.textContent =
    `${n} received${n > MAX_EVENTS ? `, last ${MAX_EVENTS} shown` : ''}`;
  const li = el('li');
  li.dataset.event = envelope.event;
  li.dataset.seq = String(envelope.seq);
  if (missed) {
    li.classList.add('missed');
  }
  const details = el('details');
  const summary = el('summary');
  const time = el('time', '', new Date(envelope.ts).toLocaleTimeString());
  time.dateTime = envelope.ts;
  summary.append(time, el('span', 'seq', `#${envelope.seq}`), el('span', 'name', envelope.event));
  if (missed) {
    summary.append(el('span', 'badge', 'missed while away'));
  }
  summary.append(el('span', 'text', describe(envelope.event, envelope.payload)));
  details.append(summary, el('pre', '', JSON.stringify(envelope, null, 2)));
  li.append(details);
  prepend(li, lists[kind].list);
}

export function addNote(text) {
  const li = el('li', 'note', text);
  prepend(li);
}
