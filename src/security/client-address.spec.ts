import { clientAddress, isLoopback } from './client-address';

describe('clientAddress', () => {
  it("takes the framework's req.ip (TRUST_PROXY applied) over the socket's peer", () => {
    expect(clientAddress({ ip: '203.0.113.7', socket: { remoteAddress: '127.0.0.1' } })).toBe(
      '203.0.113.7',
    );
  });

  it('falls back to the socket peer (a plain Node request has no ip)', () => {
    expect(clientAddress({ socket: { remoteAddress: '10.0.0.2' } })).toBe('10.0.0.2');
    expect(clientAddress({})).toBe('');
  });

  it('gives IPv4-mapped IPv6 as plain IPv4, so one client is one bucket', () => {
    expect(clientAddress({ ip: '::ffff:10.0.0.2' })).toBe('10.0.0.2');
    expect(clientAddress({ ip: '::FFFF:127.0.0.1' })).toBe('127.0.0.1');
    expect(clientAddress({ ip: '2001:db8::1' })).toBe('2001:db8::1');
  });
});

describe('isLoopback', () => {
  it('accepts 127.0.0.0/8 and ::1, in their IPv6 forms too', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '::1',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ]) {
      expect({ address, loopback: isLoopback(address) }).toEqual({ address, loopback: true });
    }
  });

  it('refuses every other address and anything that is not an address', () => {
    for (const address of [
      '128.0.0.1',
      '126.255.255.255',
      '10.200.0.2',
      '0.0.0.0',
      '::',
      '::2',
      '::ffff:10.0.0.1',
      'fe80::1',
      '',
      'localhost',
      '127.0.0.1, 10.0.0.1',
      ' 127.0.0.1',
    ]) {
      expect({ address, loopback: isLoopback(address) }).toEqual({ address, loopback: false });
    }
  });
});
