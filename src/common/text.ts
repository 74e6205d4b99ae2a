/*
 * Control characters have no place in names, filters or codes: PostgreSQL refuses NUL in text
 * outright, and the rest (escape sequences, bells) only make trouble in logs and terminals.
 */
/* eslint-disable no-control-regex */

/** No control characters at all (C0, DEL, C1): one-line text such as a name or a filter. */
export const SINGLE_LINE_TEXT = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** As SINGLE_LINE_TEXT, but tab, line feed and carriage return are allowed: free text. */
export const MULTI_LINE_TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
