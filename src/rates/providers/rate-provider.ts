import type { RateSource } from '../entities/item.entity';

export const CURRENCY_CODE = /^[A-Z0-9]{2,10}$/;

/** One rate as a source quotes it: 1 `base` = `rate` `code` (for crypto: 1 BTC = rate USDT). */
export interface RateQuote {
  code: string;
  base: string;
  rate: number;
}

/** A body the sync cannot trust; nothing from it is stored. */
export class BadRatesError extends Error {
  constructor(message: string) {
    super(`rates source answered a bad body: ${message}`);
    this.name = 'BadRatesError';
  }
}

/** One source of rates, as API_TYPE names it; a new source is one more subclass. */
export abstract class RateProvider {
  abstract readonly source: Exclude<RateSource, 'manual'>;
  /** Every quote, validated: throws UpstreamError or BadRatesError rather than return a bad one. */
  abstract fetch(): Promise<RateQuote[]>;
}

export function checkedQuote(code: unknown, base: unknown, rate: unknown): RateQuote {
  if (
    typeof code !== 'string' ||
    !CURRENCY_CODE.test(code) ||
    typeof base !== 'string' ||
    !CURRENCY_CODE.test(base)
  ) {
    throw new BadRatesError(
      `invalid currency pair ${JSON.stringify(base)}/${JSON.stringify(code)}`,
    );
  }
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw new BadRatesError(
      `rate for ${base}/${code} must be a positive number (got ${JSON.stringify(rate)})`,
    );
  }
  return { code, base, rate };
}
