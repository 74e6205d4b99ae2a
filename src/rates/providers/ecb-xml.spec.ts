import { parseEcbRates } from './ecb-xml';
import { BadRatesError } from './rate-provider';

/** The bank's own file, as eurofxref-daily.xml serves it (shortened to a few currencies). */
const REAL = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2026-11-30'>
			<Cube currency='USD' rate='1.0523'/>
			<Cube currency='JPY' rate='157.82'/>
			<Cube currency='BGN' rate='1.9558'/>
			<Cube currency='GBP' rate='0.8312'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`;

const envelope = (days: string) =>
  `<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>${days}</Cube></gesmes:Envelope>`;
const day = (cubes: string, time = '2026-11-30') =>
  envelope(`<Cube time="${time}">${cubes}</Cube>`);

const failure = (xml: string): string => {
  try {
    parseEcbRates(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRatesError);
    return (error as Error).message;
  }
  throw new Error('parsed a document that should have failed');
};

describe('parseEcbRates', () => {
  it('reads the real eurofxref-daily format: the day and every rate against EUR, as numbers', () => {
    expect(parseEcbRates(REAL)).toEqual({
      date: '2026-11-30',
      quotes: [
        { base: 'EUR', code: 'USD', rate: 1.0523 },
        { base: 'EUR', code: 'JPY', rate: 157.82 },
        { base: 'EUR', code: 'BGN', rate: 1.9558 },
        { base: 'EUR', code: 'GBP', rate: 0.8312 },
      ],
    });
  });

  it('matches elements by local name, whatever prefixes the namespaces are bound to', () => {
    const prefixed = `<e:Envelope xmlns:e="http://www.gesmes.org/xml/2002-08-01" xmlns:x="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <x:Cube><x:Cube time="2026-11-30"><x:Cube currency="USD" rate="1.05"/></x:Cube></x:Cube></e:Envelope>`;
    expect(parseEcbRates(prefixed).quotes).toEqual([{ base: 'EUR', code: 'USD', rate: 1.05 }]);
  });

  it('takes the newest day of a file with several (the 90-day history)', () => {
    const xml = envelope(
      '<Cube time="2026-11-27"><Cube currency="USD" rate="1.01"/></Cube>' +
        '<Cube time="2026-11-30"><Cube currency="USD" rate="1.03"/></Cube>' +
        '<Cube time="2026-11-28"><Cube currency="USD" rate="1.02"/></Cube>',
    );
    expect(parseEcbRates(xml)).toEqual({
      date: '2026-11-30',
      quotes: [{ base: 'EUR', code: 'USD', rate: 1.03 }],
    });
  });

  it('takes one currency as a list of one', () => {
    expect(parseEcbRates(day('<Cube currency="CHF" rate="0.94"/>')).quotes).toHaveLength(1);
  });

  it.each([
    ['plain text', 'Service Unavailable', /not XML/],
    ['JSON', '{"rates": {"USD": 1.05}}', /not XML/],
    ['an empty body', '', /not XML/],
    ['an unclosed element', '<gesmes:Envelope><Cube><Cube time="2026-11-30">', /not XML/],
    ['another root element', '<html><body>maintenance</body></html>', /gesmes:Envelope/],
    ['an envelope with no Cube', envelope('').replace('<Cube></Cube>', ''), /no Cube time/],
    ['an empty outer Cube', envelope(''), /no Cube time/],
    ['a day without rates', day(''), /no rates for 2026-11-30/],
  ])('rejects %s', (_label, xml, reason) => {
    expect(failure(xml)).toMatch(reason);
  });

  it.each([
    ['no time', envelope('<Cube><Cube currency="USD" rate="1.05"/></Cube>')],
    ['a time that is not a date', day('<Cube currency="USD" rate="1.05"/>', 'yesterday')],
    ['a day that does not exist', day('<Cube currency="USD" rate="1.05"/>', '2026-02-31')],
  ])('rejects a day with %s', (_label, xml) => {
    expect(failure(xml)).toMatch(/time="YYYY-MM-DD"/);
  });

  it.each([
    ['no rate', '<Cube currency="USD"/>'],
    ['no currency', '<Cube rate="1.05"/>'],
    ['no attributes at all', '<Cube currency="USD" rate="1.05"/><Cube/>'],
  ])('rejects a rate Cube with %s', (_label, cubes) => {
    expect(failure(day(cubes))).toMatch(/needs both currency="…" and rate="…"/);
  });

  it.each(['abc', '', '-1.05', '0', '0x10', 'Infinity', '1,05', ' '])(
    'rejects the rate %j, storing nothing of the day',
    (rate) => {
      const xml = day(`<Cube currency="USD" rate="1.05"/><Cube currency="JPY" rate="${rate}"/>`);
      expect(failure(xml)).toMatch(/rate for EUR\/JPY must be a positive number/);
    },
  );

  it('reads an exponent as the number it is', () => {
    expect(parseEcbRates(day('<Cube currency="IDR" rate="1.7e4"/>')).quotes[0].rate).toBe(17000);
  });

  it.each(['usd', 'U', 'US$', 'TOOLONGCODE1'])(
    'rejects the currency %j, outside the item code pattern',
    (currency) => {
      expect(failure(day(`<Cube currency="${currency}" rate="1.05"/>`))).toMatch(
        /invalid currency pair/,
      );
    },
  );

  it('rejects a currency quoted twice in a day', () => {
    const xml = day('<Cube currency="USD" rate="1.05"/><Cube currency="USD" rate="1.06"/>');
    expect(failure(xml)).toMatch(/USD is quoted twice/);
  });

  it('leaves out a quote of the euro against itself', () => {
    const xml = day('<Cube currency="EUR" rate="1"/><Cube currency="USD" rate="1.05"/>');
    expect(parseEcbRates(xml).quotes.map((q) => q.code)).toEqual(['USD']);
  });

  it('expands no entity a document declares', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY c "USD">]>${day('<Cube currency="&c;" rate="1.05"/>')}`;
    expect(failure(xml)).toMatch(/invalid currency pair/);
  });
});
