/* The live page's event list: the newest first, at most MAX_EVENTS of them. */

const MAX_EVENTS = 200;

const eventList = document.getElementById('events');
const eventCount = document.getElementById('event-count');

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

export function el(tag, className, text) {
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

/** `missed`: replayed after a reconnect, i.e. sent while the page was away. */
export function addEvent(envelope, missed = false) {
  received += 1;
  eventCount.textContent = `${received} received${received > MAX_EVENTS ? `, last ${MAX_EVENTS} shown` : ''}`;
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
  prepend(li);
}

export function addNote(text) {
  const li = el('li', 'note', text);
  prepend(li);
}
