/** Allowed browser origins as the security config gives them: `[]` = CORS off, `'*'` = any. */
export type AllowedOrigins = readonly string[] | '*';

/**
 * Whether a WebSocket handshake's `Origin` may connect. Browsers always send it and scripts
 * cannot forge it, so it is what stops another site's page from opening a socket with its
 * visitor's network position (cross-site WebSocket hijacking). No Origin: not a browser, allowed.
 * The service's own pages (the live page) are same-origin: an Origin whose host is the request's
 * own `Host` is always allowed, whatever CORS_ORIGINS says.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: AllowedOrigins,
): boolean {
  if (origin === undefined || allowed === '*') {
    return true;
  }
  const normalized = origin.trim().toLowerCase();
  if (allowed.some((entry) => entry.toLowerCase() === normalized)) {
    return true;
  }
  return host !== undefined && sameHost(normalized, host.trim());
}

/** `http://svc` against Host `svc:80`: compared as URLs, so default ports do not matter. */
function sameHost(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return false;
    }
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    // `null` (sandboxed frames, files) and anything else that is not an origin
    return false;
  }
}
