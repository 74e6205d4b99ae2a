/** The Server-Sent Events wire format (WHATWG HTML, "server-sent events"), as pure functions. */

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * One event: `id`, `event`, then `data` (one `data:` line per line of the text; envelope JSON
 * has none, but a line break inside data would otherwise end the field early).
 */
export function sseEvent(id: number | undefined, event: string, data: string): string {
  const head = `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\n`;
  const body = LINE_BREAK.test(data)
    ? data
        .split(LINE_BREAK)
        .map((line) => `data: ${line}\n`)
        .join('')
    : `data: ${data}\n`;
  return `${head}${body}\n`;
}

/**
 * A comment (ignored by EventSource, but traffic for proxies); with `id`, the block also moves the
 * client's last event ID without dispatching an event, so a filtered stream resumes where it was.
 */
export function sseComment(text: string, id?: number): string {
  return `: ${text}\n${id === undefined ? '' : `id: ${id}\n`}\n`;
}

/** The writer of every stored envelope puts these keys first; the top-level `event` is read off it. */
const ENVELOPE_HEAD = /^\{"id":"[0-9a-f-]*","seq":\d+,"event":"([^"\\]+)"/;

/** The event name of an envelope as JSON, without parsing it in the usual case. */
export function eventNameOf(envelopeJson: string): string {
  const head = ENVELOPE_HEAD.exec(envelopeJson);
  return head ? head[1] : (JSON.parse(envelopeJson) as { event: string }).event;
}

/**
 * `Last-Event-ID` as a position: undefined when absent or empty (EventSource sends none before its
 * first id), null when it is not a non-negative integer.
 */
export function parseLastEventId(header: string | string[] | undefined): number | null | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (!/^\d{1,16}$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
    return null;
  }
  return Number(text);
}
