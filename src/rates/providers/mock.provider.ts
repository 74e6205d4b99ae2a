import { RateProvider, RateQuote } from './rate-provider';

const START: RateQuote[] = [
  { base: 'USD', code: 'EUR', rate: 0.92 },
  { base: 'USD', code: 'GBP', rate: 0.79 },
  { base: 'USD', code: 'JPY', rate: 151.3 },
  { base: 'USD', code: 'CHF', rate: 0.88 },
  { base: 'USDT', code: 'BTC', rate: 67000 },
  { base: 'USDT', code: 'ETH', rate: 3500 },
];

/** Offline rates: a random walk (±0.5% a step) in-process, so a fresh machine shows rates moving. */
export class MockRateProvider extends RateProvider {
  readonly source = 'mock' as const;
  private current = START.map((q) => ({ ...q }));

  constructor(private readonly random: () => number = Math.random) {
    super();
  }

  fetch(): Promise<RateQuote[]> {
    this.current = this.current.map((q) => {
      const rate = q.rate * (1 + (this.random() - 0.5) * 0.01);
      return { ...q, rate: Number(rate.toPrecision(8)) };
    });
    return Promise.resolve(this.current.map((q) => ({ ...q })));
  }
}
