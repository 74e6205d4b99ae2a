import type { FrameDefinition, WebSocketChannel } from '../events/asyncapi-document';
import { DOMAIN_EVENT_NAMES } from './domain-event-list';

export const WS_PATH = '/ws/items';
/** The most patterns one `subscribe` may carry. */
export const MAX_PATTERNS = 50;

const object = <P extends Record<string, unknown>>(properties: P) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});

const patterns = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_PATTERNS,
  items: {
    type: 'string',
    description: 'An event name, a `prefix.*` pattern (e.g. `item.*`) or `*`',
  },
  examples: [['item.*', 'rates.synced']],
};

const position = {
  type: 'integer',
  minimum: 0,
  description: 'A position in the event stream (an envelope’s `seq`)',
  examples: [41],
};
const epoch = {
  type: 'string',
  description: 'The name of the stream; a position means something only with its epoch',
  examples: ['0b7d3c4e-2f1a-4c55-9a43-1d2e3f4a5b6c'],
};

/** What the server sends besides the event envelopes, each with its `payload`. */
export const SERVER_FRAMES = {
  welcome: {
    summary:
      'Sent once on connect: the instance, every event name, and the stream position the ' +
      'live events continue from (`seq`) with its `epoch`.',
    body: object({
      instance: { type: 'string' },
      events: { type: 'array', items: { type: 'string', enum: DOMAIN_EVENT_NAMES } },
      seq: position,
      epoch,
    }),
  },
  resumed: {
    summary:
      'Ends the replay a `resume` asked for. Recovered: every retained event after `after` up to ' +
      '`to` was sent (those the subscription matches), live events follow from `to`. Not ' +
      'recovered (another epoch, or events after `after` no longer retained): reload state over ' +
      'REST; live events follow from `seq`.',
    body: {
      oneOf: [
        object({ after: position, to: position, recovered: { type: 'boolean', const: true } }),
        object({
          recovered: { type: 'boolean', const: false },
          earliest_seq: { ...position, description: 'The oldest retained position' },
          seq: { ...position, description: 'The last committed position' },
        }),
      ],
    },
  },
  pong: { summary: 'The answer to `ping`.' },
  subscribed: {
    summary: 'The answer to `subscribe`: the patterns now in force.',
    body: object({ events: patterns }),
  },
  error: {
    summary: 'An invalid client frame; the connection stays up.',
    body: object({ message: { type: 'string' } }),
  },
} satisfies Record<string, FrameDefinition>;

/** What a client may send, each with its `data` (NestJS's `{"event", "data"}` form). */
export const CLIENT_FRAMES = {
  ping: { summary: 'Answered with `pong`.' },
  subscribe: {
    summary: 'Narrows the events this client gets.',
    body: object({ events: patterns }),
  },
  resume: {
    summary:
      'Replays every retained event after `after` (of the subscription), then `resumed`, then ' +
      'live events: nothing twice, nothing skipped. The same as connecting to ' +
      '`/ws/items?after=N&epoch=…`.',
    body: object({ after: position, epoch }),
  },
} satisfies Record<string, FrameDefinition>;

export type ServerFrameName = keyof typeof SERVER_FRAMES;
export type ClientFrameName = keyof typeof CLIENT_FRAMES;
export const CLIENT_FRAME_NAMES = Object.keys(CLIENT_FRAMES) as ClientFrameName[];

/** The protocol as the event catalog documents it. */
export const WEBSOCKET_CHANNEL: WebSocketChannel = {
  path: WS_PATH,
  description:
    'On connect the server sends `welcome`, then every event envelope as one JSON text frame. ' +
    'Client frames use NestJS’s `{"event", "data"}` form. Connecting to ' +
    '`/ws/items?after=N&epoch=…` resumes at once, as the `resume` frame does, with no live ' +
    'event before the replay.',
  clientFramesDescription:
    '`ping` is answered with `pong`; `subscribe` narrows the stream and is answered with ' +
    '`subscribed`; `resume` replays what was missed and ends with `resumed`; anything else gets ' +
    '`error` and the connection stays up.',
  serverFrames: SERVER_FRAMES,
  clientFrames: CLIENT_FRAMES,
};
