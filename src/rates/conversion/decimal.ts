/**
 * Exact decimal arithmetic on BigInt for the few multiplications of a conversion: each rate is
 * taken at its shortest decimal form (what the client sent and reads back), so 0.1 × 3 is 0.3, not
 * 0.30000000000000004. Only an inverse is inexact; it keeps QUOTIENT_DIGITS digits.
 */
export interface Decimal {
  /** value = digits × 10^exponent */
  digits: bigint;
  exponent: number;
}

const QUOTIENT_DIGITS = 40;

/** A finite number's shortest round-trip decimal form ("0.92", "1e-7", "6.02e+23"). */
export function decimalOf(value: number): Decimal {
  if (!Number.isFinite(value)) {
    throw new RangeError(`not a finite number: ${value}`);
  }
  const [mantissa, exp = '0'] = String(value).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  return { digits: BigInt(whole + fraction), exponent: Number(exp) - fraction.length };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, exponent: a.exponent + b.exponent };
}

/** 1 / a, to QUOTIENT_DIGITS significant digits (truncated; rounding happens once, in toNumber). */
export function invert(a: Decimal): Decimal {
  if (a.digits === 0n) {
    throw new RangeError('division by zero');
  }
  const length = (a.digits < 0n ? -a.digits : a.digits).toString().length;
  const scale = QUOTIENT_DIGITS + length;
  return { digits: 10n ** BigInt(scale) / a.digits, exponent: -scale - a.exponent };
}

/** The nearest double: JavaScript's decimal parsing rounds correctly. */
export function toNumber(a: Decimal): number {
  return Number(`${a.digits}e${a.exponent}`);
}
