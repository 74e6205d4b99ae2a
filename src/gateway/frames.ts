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

/** What the server sends besides the event envelopes, each with its `payload`. */
export const SERVER_FRAMES = {
  welcome: {
    summary: 'Sent once on connect: the instance and every event name.',
    body: object({
      instance: { type: 'string' },
      events: { type: 'array', items: { type: 'string', enum: DOMAIN_EVENT_NAMES } },
    }),
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
} satisfies Record<string, FrameDefinition>;

export type ServerFrameName = keyof typeof SERVER_FRAMES;
export type ClientFrameName = keyof typeof CLIENT_FRAMES;
export const CLIENT_FRAME_NAMES = Object.keys(CLIENT_FRAMES) as ClientFrameName[];

/** The protocol as the event catalog documents it. */
export const WEBSOCKET_CHANNEL: WebSocketChannel = {
  path: WS_PATH,
  description:
    'On connect the server sends `welcome`, then every event envelope as one JSON text frame. ' +
    'Client frames use NestJS’s `{"event", "data"}` form.',
  clientFramesDescription:
    '`ping` is answered with `pong`; `subscribe` narrows the stream and is answered with ' +
    '`subscribed`; anything else gets `error` and the connection stays up.',
  serverFrames: SERVER_FRAMES,
  clientFrames: CLIENT_FRAMES,
};
