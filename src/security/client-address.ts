import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** What a request exposes about its peer, in Express, Fastify and plain Node alike. */
export interface AddressedRequest {
  /** Set by Express and Fastify, from X-Forwarded-For when the proxy in front is trusted. */
  ip?: string;
  socket?: { remoteAddress?: string };
}

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * The client's address: the framework's `req.ip` (which honours TRUST_PROXY), else the socket's
 * peer; an IPv4 address mapped into IPv6 is given as plain IPv4, so one client is one bucket.
 */
export function clientAddress(req: AddressedRequest): string {
  const raw = req.ip ?? req.socket?.remoteAddress ?? '';
  const mapped = IPV4_MAPPED.exec(raw);
  return mapped && isIPv4(mapped[1]) ? mapped[1] : raw;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Addresses checked so far: BlockList parses each one into a SocketAddress (~10 µs a request). */
const checked = new Map<string, boolean>();
const CHECKED_KEPT = 10_000;

/** 127.0.0.0/8 and ::1 (IPv4-mapped forms included); anything unparsable is not loopback. */
export function isLoopback(address: string): boolean {
  let loopback = checked.get(address);
  if (loopback === undefined) {
    loopback = checkLoopback(address);
    if (checked.size >= CHECKED_KEPT) {
      checked.clear();
    }
    checked.set(address, loopback);
  }
  return loopback;
}

function checkLoopback(address: string): boolean {
  const plain = IPV4_MAPPED.exec(address)?.[1] ?? address;
  if (isIPv4(plain)) {
    return LOOPBACK.check(plain, 'ipv4');
  }
  // BlockList matches IPv4-mapped IPv6 (::ffff:7f00:1) against the IPv4 subnet too
  return isIPv6(plain) && LOOPBACK.check(plain, 'ipv6');
}
