import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * The configured API keys, checked in constant time: both sides are hashed to 32 bytes first, so
 * neither a key's content nor its length shows in how long a comparison takes, and every key is
 * compared every time.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  /** No keys configured: writes are open. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  matches(candidate: string): boolean {
    return this.indexOf(candidate) >= 0;
  }

  /** The position of the matching key in API_KEYS, or -1. */
  indexOf(candidate: string): number {
    const given = digest(candidate);
    let found = -1;
    this.digests.forEach((known, index) => {
      // no early exit: which key matched must not show either
      if (timingSafeEqual(known, given) && found < 0) {
        found = index;
      }
    });
    return found;
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The keys a caller presented: `X-API-Key: <key>` and/or `Authorization: Bearer <key>`. Takes a
 * case-insensitive header lookup, so HTTP requests and NATS messages share it.
 */
export function presentedKeys(header: (name: string) => string | undefined): string[] {
  const keys: string[] = [];
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) {
    keys.push(apiKey);
  }
  const bearer = BEARER.exec(header('authorization') ?? '');
  if (bearer) {
    keys.push(bearer[1]);
  }
  return keys;
}
