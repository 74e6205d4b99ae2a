/* The conversion box: asks `GET /convert`, shows the answer and the path it took, and asks
 * again when a rate on that path moves (or items come and go, which may open or close a path). */
import { el, formatRate } from './live-dom.js';
import { items, onItems, rateMoved } from './live-items.js';

/** A sync moves many items in a burst: one question after it, not one per item. */
const SETTLE_MS = 150;

const form = document.getElementById('convert');
const out = document.getElementById('convert-result');
const codes = document.getElementById('codes');

/** The last question asked, and the item ids its answer went through. */
let question = null;
let pathIds = new Set();
let token = 0;
let settleTimer = null;
let answers = 0;

function fillCodes() {
  const all = new Set();
  items.forEach((item) => all.add(item.base).add(item.code));
  codes.replaceChildren(...[...all].sort().map((code) => new Option(code)));
}

function show(state, nodes) {
  out.dataset.state = state;
  out.replaceChildren(...nodes);
}

function stepText(step) {
  const [from, to] = step.inverted ? [step.code, step.base] : [step.base, step.code];
  return `${from} → ${to} · ${step.base}/${step.code} = ${formatRate(step.rate)}${step.inverted ? ' (inverted)' : ''}`;
}

function showAnswer(answer) {
  answers += 1;
  out.dataset.answers = String(answers);
  out.dataset.result = String(answer.result);
  out.dataset.rate = String(answer.rate);
  out.dataset.path = answer.path.map((step) => step.item_id).join(',');
  pathIds = new Set(answer.path.map((step) => step.item_id));
  const main = el('p', 'answer');
  main.append(
    el(
      'strong',
      '',
      `${formatRate(answer.amount)} ${answer.from} = ${formatRate(answer.result)} ${answer.to}`,
    ),
  );
  const at = new Date(answer.at);
  const rate = el(
    'p',
    'muted',
    `1 ${answer.from} = ${formatRate(answer.rate)} ${answer.to} · rates of ${at.toLocaleTimeString()}`,
  );
  const path = el('ol', 'path');
  if (answer.path.length === 0) {
    path.append(el('li', 'muted', 'the same currency: nothing to convert'));
  }
  answer.path.forEach((step) => {
    const li = el('li', '', stepText(step));
    li.dataset.itemId = String(step.item_id);
    path.append(li);
  });
  show('ok', [main, rate, path]);
  out.classList.remove('flash');
  void out.offsetWidth;
  out.classList.add('flash');
}

function showError(status, body) {
  pathIds = new Set();
  delete out.dataset.result;
  out.dataset.path = '';
  const message = body && body.message;
  const lines = Array.isArray(message) ? message : [String(message || `HTTP ${status}`)];
  if (status === 404 && /^Cannot GET/.test(lines[0])) {
    show('error', [el('p', '', 'conversion is not available on this server (no GET /convert)')]);
    return;
  }
  const ul = el('ul');
  lines.forEach((line) => ul.append(el('li', '', line)));
  show('error', [el('p', '', status === 404 ? 'no conversion:' : `${status}:`), ul]);
}

async function ask() {
  clearTimeout(settleTimer);
  if (!question) {
    return;
  }
  const mine = ++token;
  const query = new URLSearchParams(question);
  out.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(`/convert?${query}`, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (mine !== token) {
      return;
    }
    if (res.ok) {
      showAnswer(body);
    } else {
      showError(res.status, body);
    }
  } catch (error) {
    if (mine === token) {
      show('error', [el('p', '', `the service did not answer (${error.message})`)]);
    }
  } finally {
    if (mine === token) {
      out.removeAttribute('aria-busy');
    }
  }
}

function askSoon() {
  if (question) {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => void ask(), SETTLE_MS);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const text = (name) => String(data.get(name) || '').trim();
  question = {
    from: text('from').toUpperCase(),
    to: text('to').toUpperCase(),
    amount: text('amount') || '1',
  };
  void ask();
});

document.getElementById('swap').addEventListener('click', () => {
  const { from, to } = form.elements;
  [from.value, to.value] = [to.value, from.value];
  form.requestSubmit();
});

onItems((change) => {
  const { before, item } = change;
  // a new, deleted or renamed item may open or close a path
  const structural =
    change.kind !== 'upsert' || !before || before.code !== item.code || before.base !== item.base;
  if (structural) {
    fillCodes();
  }
  if (structural || (rateMoved(change) && pathIds.has(item.id))) {
    askSoon();
  }
});
