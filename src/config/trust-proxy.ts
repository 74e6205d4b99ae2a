import { isIP, isIPv4 } from 'node:net';

/** The named ranges Express's `trust proxy` (proxy-addr) knows. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * What TRUST_PROXY means, in the form Express's `trust proxy` (and Fastify's `trustProxy`) take:
 * undefined = off, a number = trust that many hops, a list = trust those addresses, CIDRs and named
 * ranges. Returns `null` when the value is none of these, so startup can say so.
 */
export function parseTrustProxy(value: string): number | string[] | undefined | null {
  const trimmed = value.trim();
  if (trimmed === '') {
    return undefined;
  }
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops >= 1 && hops <= 100 ? hops : null;
  }
  const parts = trimmed.split(',').map((part) => part.trim());
  return parts.every(isTrustedEntry) ? parts : null;
}

function isTrustedEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) {
    return true;
  }
  const slash = entry.lastIndexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) {
    return false;
  }
  if (slash === -1) {
    return true;
  }
  const range = entry.slice(slash + 1);
  const max = version === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(range)) {
    // proxy-addr refuses /0: trusting every address is not a proxy setting
    return Number(range) >= 1 && Number(range) <= max;
  }
  return version === 4 && isNetmask(range);
}

/** A dotted IPv4 netmask: ones, then zeros (255.255.0.0), not all zeros. */
function isNetmask(mask: string): boolean {
  if (!isIPv4(mask)) {
    return false;
  }
  const bits = mask
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
  return /^1+0*$/.test(bits);
}
