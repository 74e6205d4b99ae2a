import { UpstreamError } from '../../external/upstream-error';
import { RateProvider, RateQuote } from './rate-provider';
import { RateProviders } from './rate-providers';

class FakeProvider extends RateProvider {
  calls = 0;

  constructor(
    readonly source: RateProvider['source'],
    private readonly answer: () => Promise<RateQuote[]>,
  ) {
    super();
  }

  fetch(): Promise<RateQuote[]> {
    this.calls++;
    return this.answer();
  }
}

const usdEur = { base: 'USD', code: 'EUR', rate: 0.92 };
const eurUsd = { base: 'EUR', code: 'USD', rate: 1.05 };

describe('RateProviders.fetchAll', () => {
  it('reads every source at once, in API_TYPE order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ecb = new FakeProvider('ecb', () => gate.then(() => [eurUsd]));
    const fiat = new FakeProvider('fiat', () => Promise.resolve([usdEur]));
    const reading = new RateProviders([ecb, fiat]).fetchAll();
    // the second source was asked while the first still waits for its answer
    await Promise.resolve();
    expect(fiat.calls).toBe(1);
    release();
    expect(await reading).toEqual({
      read: [
        { source: 'ecb', quotes: [eurUsd] },
        { source: 'fiat', quotes: [usdEur] },
      ],
      failed: [],
      overlaps: [],
    });
  });

  it('reports a failing source with its reason and still returns the others', async () => {
    const providers = new RateProviders([
      new FakeProvider('ecb', () =>
        Promise.reject(new UpstreamError('server', 'upstream answered 503', 503)),
      ),
      new FakeProvider('fiat', () => Promise.resolve([usdEur])),
    ]);
    expect(await providers.fetchAll()).toEqual({
      read: [{ source: 'fiat', quotes: [usdEur] }],
      failed: [{ source: 'ecb', reason: 'upstream answered 503' }],
      overlaps: [],
    });
  });

  it('keeps a pair two sources quote from the first one listed only', async () => {
    const providers = new RateProviders([
      new FakeProvider('mock', () => Promise.resolve([{ ...usdEur, rate: 0.9 }])),
      new FakeProvider('fiat', () => Promise.resolve([usdEur, { ...usdEur, code: 'GBP' }])),
    ]);
    const { read, overlaps } = await providers.fetchAll();
    expect(read).toEqual([
      { source: 'mock', quotes: [{ ...usdEur, rate: 0.9 }] },
      { source: 'fiat', quotes: [{ ...usdEur, code: 'GBP' }] },
    ]);
    expect(overlaps).toEqual(['USD/EUR (fiat, kept mock)']);
  });
});
