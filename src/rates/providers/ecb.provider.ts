import { UpstreamHttp } from '../../external/upstream-http';
import { parseEcbRates } from './ecb-xml';
import { BadRatesError, RateProvider, RateQuote } from './rate-provider';

/** The European Central Bank's daily reference rates: one XML document, 1 EUR = rate. */
export class EcbRateProvider extends RateProvider {
  readonly source = 'ecb' as const;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly url: string,
  ) {
    super();
  }

  async fetch(): Promise<RateQuote[]> {
    // the client hands back a body that is not JSON as its text
    const { data } = await this.http.getJson(this.url, []);
    if (typeof data !== 'string') {
      throw new BadRatesError('expected the eurofxref XML document');
    }
    return parseEcbRates(data).quotes;
  }
}
