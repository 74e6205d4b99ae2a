/*
 * Control characters have no place in names, filters or codes: PostgreSQL refuses NUL in text
 * outright, and the rest (escape sequences, bells) only make trouble in logs and terminals.
 */
/* eslint-disable no-control-regex */

/** No control characters at all (C0, DEL, C1): one-line text such as a name or a filter. */
export const SINGLE_LINE_TEXT = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** As SINGLE_LINE_TEXT, but tab, line feed and carriage return are allowed: free text. */
export const MULTI_LINE_TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from elsewhere (an upstream) made to pass the rules above: every control character
 * removed, or with `multiLine` every one but tab and line feed (SPEC §12; a CRLF becomes LF).
 */
export function withoutControlCharacters(text: string, { multiLine = false } = {}): string {
  return text.replace(multiLine ? CONTROL_BUT_BREAKS : CONTROL, '');
}

/** Length in characters (code points), as the database's varchar(n) and the DTOs count it. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) {
    count++;
  }
  return count;
}

/** At most `max` characters, never cutting a surrogate pair in two. */
export function truncateCharacters(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  return Array.from(text).slice(0, max).join('');
}
