import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadRatesError, checkedQuote, RateQuote } from './rate-provider';

/** The ECB quotes every rate against the euro: 1 EUR = rate. */
export const ECB_BASE = 'EUR';

/** One day of the ECB's reference rates. */
export interface EcbRates {
  /** The day the rates were set (YYYY-MM-DD). */
  date: string;
  quotes: RateQuote[];
}

/** What one `Cube` element parses to: its attributes, its child Cubes; '' when it has neither. */
interface CubeNode {
  '@_time'?: unknown;
  '@_currency'?: unknown;
  '@_rate'?: unknown;
  Cube?: unknown[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A plain decimal as the ECB writes it; Number() alone would also take "0x10", "" or "Infinity". */
const DECIMAL = /^\d+(\.\d+)?([eE][-+]?\d+)?$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // elements are matched by local name, so the prefix a publisher picks for a namespace does not matter
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  // the format has no entities; not expanding any also closes the door on entity bombs
  processEntities: false,
  ignoreDeclaration: true,
  isArray: (name) => name === 'Cube',
});

/** YYYY-MM-DD and a real day: Date.parse alone rolls 2026-02-31 over into March. */
const isCalendarDate = (text: string): boolean =>
  DATE.test(text) &&
  !Number.isNaN(Date.parse(text)) &&
  new Date(text).toISOString().slice(0, 10) === text;

const cubesOf = (node: unknown): CubeNode[] =>
  typeof node === 'object' && node !== null && Array.isArray((node as CubeNode).Cube)
    ? ((node as CubeNode).Cube as unknown[]).map((c) =>
        typeof c === 'object' && c !== null ? (c as CubeNode) : {},
      )
    : [];

function dayOf(cube: CubeNode): string {
  const time = cube['@_time'];
  if (typeof time !== 'string' || !isCalendarDate(time)) {
    throw new BadRatesError(`a day's Cube needs time="YYYY-MM-DD" (got ${JSON.stringify(time)})`);
  }
  return time;
}

function quoteOf(cube: CubeNode): RateQuote {
  const currency = cube['@_currency'];
  const rate = cube['@_rate'];
  if (currency === undefined || rate === undefined) {
    throw new BadRatesError('a rate Cube needs both currency="…" and rate="…"');
  }
  const value = typeof rate === 'string' && DECIMAL.test(rate.trim()) ? Number(rate) : rate;
  return checkedQuote(currency, ECB_BASE, value);
}

/**
 * Reads the ECB's `eurofxref` document (gesmes:Envelope / Cube / Cube time / Cube currency rate).
 * A file of several days (the 90-day history) gives its newest day. Anything off — not XML, no
 * day, a missing attribute, a rate that is not a positive number, a currency outside the item
 * code pattern, a currency twice — throws BadRatesError: a day is stored whole or not at all.
 */
export function parseEcbRates(xml: string): EcbRates {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BadRatesError(`not XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const doc = parser.parse(xml) as Record<string, unknown>;
  // an envelope with no content parses to '', not an object: it is still the right document
  if (!('Envelope' in doc)) {
    throw new BadRatesError('expected a gesmes:Envelope document');
  }
  const days = cubesOf(doc.Envelope).flatMap(cubesOf);
  if (days.length === 0) {
    throw new BadRatesError('no Cube time="…" with rates in the envelope');
  }
  const dated = days.map((cube) => ({ date: dayOf(cube), cube }));
  const latest = dated.reduce((a, b) => (b.date > a.date ? b : a));
  const quotes = cubesOf(latest.cube)
    .map(quoteOf)
    .filter((q) => q.code !== ECB_BASE);
  if (quotes.length === 0) {
    throw new BadRatesError(`no rates for ${latest.date}`);
  }
  const seen = new Set<string>();
  for (const { code } of quotes) {
    if (seen.has(code)) {
      throw new BadRatesError(`${code} is quoted twice for ${latest.date}`);
    }
    seen.add(code);
  }
  return { date: latest.date, quotes };
}
