/* Small DOM helpers shared by the page's modules. */

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

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, String(value)));
  return node;
}

export async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    throw new Error(`${url}: ${res.status}`);
  }
  return res.json();
}

const rateFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 8 });
const deltaFormat = new Intl.NumberFormat('en-US', {
  maximumSignificantDigits: 4,
  signDisplay: 'always',
});

/** Rates span 1e-8 (a satoshi) to 1e5 (BTC in USD): significant digits, not decimals. */
export const formatRate = (value) => rateFormat.format(value);
export const formatDelta = (value) => deltaFormat.format(value);
