/* The live page's form: creates an item over REST, then shows it on the chart. */
import { selectItem } from './live-chart.js';
import { el } from './live-dom.js';
import { pair, rememberItem } from './live-items.js';

const form = document.getElementById('create-item');
const formStatus = document.getElementById('form-status');

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
