import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it('empty is off', () => {
    expect(parseTrustProxy('')).toBeUndefined();
    expect(parseTrustProxy('  ')).toBeUndefined();
  });

  it('a number is a hop count', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 2 ')).toBe(2);
  });

  it('a list of addresses, CIDRs, netmasks and named ranges is kept, trimmed', () => {
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(
      parseTrustProxy(
        'loopback, linklocal,uniquelocal, 10.0.0.1, 10.0.0.0/8, 192.168.0.0/255.255.0.0, ::1, fd00::/8',
      ),
    ).toEqual([
      'loopback',
      'linklocal',
      'uniquelocal',
      '10.0.0.1',
      '10.0.0.0/8',
      '192.168.0.0/255.255.0.0',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each([
    '0',
    '101',
    '-1',
    'true',
    'yes',
    'localhost',
    'loopback,',
    ',loopback',
    '10.0.0.256',
    '10.0.0.0/0',
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/255.0.255.0',
    '10.0.0.0/0.0.0.0',
    '::1/255.255.0.0',
    '10.0.0.0/',
    '10.0.0.0/8/8',
  ])('refuses %j', (value) => {
    expect(parseTrustProxy(value)).toBeNull();
  });

  it("accepts only values Express's trust proxy (proxy-addr) compiles", () => {
    // proxy-addr is Express's own parser; the check keeps this one from accepting more than it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxyaddr = require('proxy-addr') as { compile(value: string[]): unknown };
    const list = parseTrustProxy('loopback,10.0.0.0/8,192.168.0.0/255.255.0.0,fd00::/8,::1');
    expect(Array.isArray(list)).toBe(true);
    expect(() => proxyaddr.compile(list as string[])).not.toThrow();
  });
});
