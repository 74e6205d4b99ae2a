import { UpstreamHttp } from '../../external/upstream-http';
import { BadRatesError, checkedQuote, RateProvider, RateQuote } from './rate-provider';

/** Quote assets a Binance symbol may end with, longest first so FDUSD wins over USD. */
const QUOTE_ASSETS = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'BTC',
  'ETH',
  'BNB',
  'EUR',
  'USD',
  'TRY',
];

/** Binance ticker shape: `[{"symbol": "BTCUSDT", "price": "67000.1"}, …]`, kept to CRYPTO_SYMBOLS. */
export class CryptoRateProvider extends RateProvider {
  readonly source = 'crypto' as const;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly url: string,
    private readonly symbols: string[],
  ) {
    super();
  }

  async fetch(): Promise<RateQuote[]> {
    const { data } = await this.http.getJson(this.url, []);
    if (!Array.isArray(data)) {
      throw new BadRatesError('expected an array of {"symbol", "price"}');
    }
    const wanted = new Set(this.symbols);
    const quotes = (data as unknown[])
      .filter(
        (t): t is { symbol: string; price: unknown } =>
          typeof t === 'object' && t !== null && wanted.has((t as { symbol: string }).symbol),
      )
      .map(({ symbol, price }) => {
        const quote = QUOTE_ASSETS.find(
          (asset) => symbol.endsWith(asset) && symbol.length > asset.length,
        );
        if (!quote) {
          throw new BadRatesError(`cannot split symbol ${symbol}`);
        }
        const rate = typeof price === 'string' && price.trim() !== '' ? Number(price) : price;
        return checkedQuote(symbol.slice(0, -quote.length), quote, rate);
      });
    if (quotes.length === 0) {
      throw new BadRatesError(`none of ${this.symbols.join(',')} in the answer`);
    }
    return quotes;
  }
}
