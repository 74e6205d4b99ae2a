import { decimalOf, invert, multiply, toNumber } from './decimal';

describe('decimal arithmetic for conversions', () => {
  it('multiplies the decimal forms exactly, where doubles drift', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(toNumber(multiply(decimalOf(0.1), decimalOf(3)))).toBe(0.3);
    expect(1.1 * 1.1).not.toBe(1.21);
    expect(toNumber(multiply(decimalOf(1.1), decimalOf(1.1)))).toBe(1.21);
  });

  it('reads exponent forms', () => {
    expect(toNumber(decimalOf(1e-7))).toBe(1e-7);
    expect(toNumber(multiply(decimalOf(6.02e23), decimalOf(1e-23)))).toBe(6.02);
    expect(toNumber(decimalOf(1e15))).toBe(1e15);
  });

  it('inverts to the nearest double of the true quotient', () => {
    expect(toNumber(invert(decimalOf(3)))).toBe(1 / 3);
    expect(toNumber(invert(decimalOf(0.8)))).toBe(1.25);
    expect(toNumber(multiply(invert(decimalOf(3)), decimalOf(3)))).toBe(1);
    expect(toNumber(invert(decimalOf(67000.5)))).toBe(1 / 67000.5);
  });
});
