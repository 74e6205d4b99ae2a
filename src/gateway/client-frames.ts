import { DOMAIN_EVENT_NAMES } from './domain-event-list';
import { CLIENT_FRAME_NAMES, MAX_PATTERNS } from './frames';

/** Where the parser routes every frame it cannot accept, so the client gets an `error` frame. */
export const INVALID_FRAME = 'invalid_frame';

export interface ParsedFrame {
  event: string;
  data: unknown;
}

/**
 * The WsAdapter's message parser. Nest drops frames it cannot parse or route without a word;
 * this one turns each of them into an `invalid_frame` message that is answered with an error.
 */
export function parseClientFrame(raw: unknown): ParsedFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
  } catch {
    return { event: INVALID_FRAME, data: 'frame is not valid JSON' };
  }
  if (
    typeof frame !== 'object' ||
    frame === null ||
    typeof (frame as { event?: unknown }).event !== 'string'
  ) {
    return { event: INVALID_FRAME, data: 'frame must be a JSON object with a string "event"' };
  }
  const { event, data } = frame as { event: string; data?: unknown };
  if (!(CLIENT_FRAME_NAMES as string[]).includes(event)) {
    return {
      event: INVALID_FRAME,
      data: `unknown event "${event.slice(0, 64)}"; expected one of ${CLIENT_FRAME_NAMES.join(', ')}`,
    };
  }
  return { event, data };
}

/** `item.*`, `rates.synced`: a list of event names or `<prefix>.*` patterns; undefined when valid. */
export function subscriptionProblem(data: unknown): string | undefined {
  const events: unknown = (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_PATTERNS) {
    return `subscribe needs {"events": [names or "prefix.*" patterns]} (1 to ${MAX_PATTERNS})`;
  }
  const prefixes = new Set(DOMAIN_EVENT_NAMES.map((name) => name.split('.')[0]));
  const bad: unknown = (events as unknown[]).find(
    (e) =>
      typeof e !== 'string' ||
      !(
        (DOMAIN_EVENT_NAMES as string[]).includes(e) ||
        (e.endsWith('.*') && prefixes.has(e.slice(0, -2))) ||
        e === '*'
      ),
  );
  return bad === undefined
    ? undefined
    : `unknown event or pattern ${JSON.stringify(bad)?.slice(0, 64)}`;
}

export function matches(patterns: string[] | null, event: string): boolean {
  return (
    patterns === null ||
    patterns.some(
      (p) => p === '*' || p === event || (p.endsWith('.*') && event.startsWith(p.slice(0, -1))),
    )
  );
}

/** Where a resuming client stands: the last position it has, in the stream named by `epoch`. */
export interface ResumeRequest {
  after: number;
  epoch: string;
}

const RESUME_USAGE = 'resume needs {"after": <integer ≥ 0>, "epoch": "<string>"}';

/** The `resume` frame's data as a request, or what is wrong with it. */
export function resumeRequest(data: unknown): ResumeRequest | string {
  const { after, epoch } = (typeof data === 'object' && data !== null ? data : {}) as {
    after?: unknown;
    epoch?: unknown;
  };
  if (!Number.isSafeInteger(after) || (after as number) < 0 || typeof epoch !== 'string') {
    return RESUME_USAGE;
  }
  return { after: after as number, epoch };
}

/** `/ws/items?after=N&epoch=…`: a resume asked for on connect; undefined when neither is given. */
export function resumeFromQuery(url: string | undefined): ResumeRequest | string | undefined {
  const query = new URL(url ?? '/', 'ws://localhost').searchParams;
  const after = query.get('after');
  const epoch = query.get('epoch');
  if (after === null && epoch === null) {
    return undefined;
  }
  return resumeRequest({ after: /^\d{1,15}$/.test(after ?? '') ? Number(after) : after, epoch });
}
