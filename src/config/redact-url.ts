/** What stands in for a secret that was taken out of a log line or a message. */
export const CENSOR = '[redacted]';

/** `scheme://user:password@` of a URL anywhere in a text; the last `@` before the path ends it. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** Query parameters that carry credentials in URLs (some rate APIs take their key this way). */
const SECRET_QUERY =
  /([?&](?:api[_-]?key|access[_-]?key|apikey|key|token|access_token|secret|password|signature|sig)=)[^&#]*/gi;

/**
 * The text with every URL's user info removed and the values of credential-like query
 * parameters replaced: fit for a log line or an error message.
 */
export function redactUrl(text: string): string {
  const withoutUser = text.includes('@') ? text.replace(USER_INFO, '$1') : text;
  return withoutUser.includes('=') ? withoutUser.replace(SECRET_QUERY, `$1${CENSOR}`) : withoutUser;
}
