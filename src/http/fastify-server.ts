import proxyAddr from '@fastify/proxy-addr';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TrustProxy } from './http-setup';

/** The trust function both Fastify's `trustProxy` and the raw requests' `ip` apply. */
export function trustFunction(
  trust: TrustProxy,
): ((address: string, hop: number) => boolean) | undefined {
  if (trust === undefined) {
    return undefined;
  }
  // proxy-addr's fork knows the named ranges (loopback, linklocal, uniquelocal) too
  return typeof trust === 'number' ? (_address, hop) => hop < trust : proxyAddr.compile(trust);
}

/**
 * Fastify's HTTP server, whose Node requests carry `ip` as Express's do (TRUST_PROXY applied):
 * what reads the raw request — the request log line, the WebSocket handshake's per-address cap —
 * then sees the client address Fastify's own `request.ip` gives.
 */
export function fastifyServerFactory(trust: TrustProxy) {
  const trusted = trustFunction(trust);
  const overridden = new WeakMap<IncomingMessage, string>();
  class AddressedRequest extends IncomingMessage {
    get ip(): string | undefined {
      const set = overridden.get(this);
      if (set !== undefined) {
        return set;
      }
      if (!trusted) {
        return this.socket?.remoteAddress;
      }
      const addresses = proxyAddr.all(this, trusted);
      return addresses[addresses.length - 1];
    }

    // middie copies Fastify's request.ip onto the raw request
    set ip(value: string | undefined) {
      if (value !== undefined) {
        overridden.set(this, value);
      }
    }
  }
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer({ IncomingMessage: AddressedRequest }, handler);
}
