import { UpstreamHttp } from '../../external/upstream-http';
import { BadRatesError, checkedQuote, RateProvider, RateQuote } from './rate-provider';

/** exchangerate-api shape: `{"base": "USD", "rates": {"EUR": 0.92, …}}`. */
export class FiatRateProvider extends RateProvider {
  readonly source = 'fiat' as const;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly url: string,
  ) {
    super();
  }

  async fetch(): Promise<RateQuote[]> {
    const { data } = await this.http.getJson(this.url, []);
    const body = data as { base?: unknown; rates?: unknown } | null;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.rates !== 'object' ||
      body.rates === null
    ) {
      throw new BadRatesError('expected {"base": …, "rates": {…}}');
    }
    const quotes = Object.entries(body.rates as Record<string, unknown>)
      .filter(([code]) => code !== body.base)
      .map(([code, rate]) => checkedQuote(code, body.base, rate));
    if (quotes.length === 0) {
      throw new BadRatesError('no rates');
    }
    return quotes;
  }
}
