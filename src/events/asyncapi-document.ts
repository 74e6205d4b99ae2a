import { exampleOf, Json, SCHEMAS } from './payload-schemas';

export const ASYNCAPI_VERSION = '3.0.0';

/** One event as the catalog lists it. */
export interface CatalogEvent {
  name: string;
  summary: string;
  /** Every NATS subject the event may be published to. */
  subjects: readonly string[];
  /** The name of the payload's schema in `schemas`. */
  payload: string;
}

/** One WebSocket frame of the protocol around the events. */
export interface FrameDefinition {
  summary: string;
  /** The frame's body: `payload` from the server, `data` from a client (NestJS's form). */
  body?: Json;
}

/** The WebSocket channel as its gateway defines it. */
export interface WebSocketChannel {
  path: string;
  description: string;
  /** How the server answers the client frames. */
  clientFramesDescription: string;
  serverFrames: Record<string, FrameDefinition>;
  clientFrames: Record<string, FrameDefinition>;
}

export interface AsyncApiInput {
  /** The service's version (the Swagger document's). */
  version: string;
  events: readonly CatalogEvent[];
  /** JSON Schema of each payload, and of every schema they refer to, by name. */
  schemas: Json;
  websocket: WebSocketChannel;
  /** `host:port` of the NATS server this instance publishes to; undefined when NATS is off. */
  natsHost?: string;
  /** `host:port` where this instance serves HTTP and WebSocket by default. */
  httpHost: string;
  /** The JetStream stream over the event subjects, when the NATS server has JetStream. */
  stream: { name: string; retentionHours: number; retentionMax: number };
}

const LIVE_CHANNEL = 'liveEvents';

/** `products.updates` → `productsUpdates`. */
const channelId = (subject: string): string =>
  subject.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase());

const refs = (names: readonly string[], prefix: string): Json =>
  Object.fromEntries(names.map((name) => [name, { $ref: `${prefix}${name}` }]));

const channelRefs = (channel: string, names: readonly string[]): Json[] =>
  names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));

/** The AsyncAPI 3 document of every event (name, NATS subject, payload) and the WebSocket protocol. */
export function buildAsyncApiDocument(input: AsyncApiInput): Json {
  const { events, websocket } = input;
  const eventNames = events.map((e) => e.name);
  const serverFrames = Object.keys(websocket.serverFrames);
  const clientFrames = Object.keys(websocket.clientFrames);
  const messages: Json = {};
  for (const event of events) {
    messages[event.name] = eventMessage(event, input.schemas, websocket.path);
  }
  for (const [name, frame] of Object.entries(websocket.serverFrames)) {
    messages[name] = frameMessage(name, frame, 'payload');
  }
  for (const [name, frame] of Object.entries(websocket.clientFrames)) {
    messages[name] = frameMessage(name, frame, 'data');
  }

  const channels: Json = {};
  const operations: Json = {};
  for (const subject of new Set(events.flatMap((e) => e.subjects))) {
    const id = channelId(subject);
    const names = events.filter((e) => e.subjects.includes(subject)).map((e) => e.name);
    channels[id] = {
      address: subject,
      title: subject,
      description: `Domain events on NATS subject \`${subject}\`; the message body is the plain envelope JSON.`,
      servers: [{ $ref: '#/servers/nats' }],
      messages: refs(names, '#/components/messages/'),
    };
    operations[`publish_${id}`] = {
      action: 'send',
      title: `Publish to ${subject}`,
      description:
        'Every committed change, from the event store: in `seq` order whichever instance made ' +
        'it (one relay publishes at a time), also while NATS was down (the relay retries until ' +
        `NATS confirms). With JetStream the stream \`${input.stream.name}\` keeps them ` +
        `(${input.stream.retentionHours} h, at most ${input.stream.retentionMax} events); each ` +
        'message carries the header `Nats-Msg-Id` = the envelope id, so a repeat is dropped.',
      channel: { $ref: `#/channels/${id}` },
      messages: channelRefs(id, names),
    };
    operations[`relay_${id}`] = {
      action: 'receive',
      title: `Relay other instances' events from ${subject}`,
      description:
        'A message tells this instance how far the stream has got; what it lacks is read from ' +
        'its event store and passed on to its WebSocket clients in `seq` order, each once. ' +
        'A message over 256 KiB, not JSON, or not matching its event in this catalog (name and ' +
        'schema) is dropped and counted (`nats_events_dropped_total`).',
      channel: { $ref: `#/channels/${id}` },
      messages: channelRefs(id, names),
    };
  }

  channels[LIVE_CHANNEL] = {
    address: websocket.path,
    title: `WebSocket ${websocket.path}`,
    description: websocket.description,
    servers: [{ $ref: '#/servers/websocket' }],
    messages: refs([...eventNames, ...serverFrames, ...clientFrames], '#/components/messages/'),
  };
  operations.send_liveEvents = {
    action: 'send',
    title: 'Events and answers to WebSocket clients',
    channel: { $ref: `#/channels/${LIVE_CHANNEL}` },
    messages: channelRefs(LIVE_CHANNEL, [...eventNames, ...serverFrames]),
  };
  operations.receive_clientFrames = {
    action: 'receive',
    title: 'Commands from WebSocket clients',
    description: websocket.clientFramesDescription,
    channel: { $ref: `#/channels/${LIVE_CHANNEL}` },
    messages: channelRefs(LIVE_CHANNEL, clientFrames),
  };

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'catalog-rates events',
      version: input.version,
      description:
        'Every domain event of catalog-rates: its name, NATS subject and payload. Each message ' +
        'is the same envelope `{id, seq, event, payload, ts, origin}` on NATS and WebSocket alike ' +
        '(no top-level `data` or `pattern`). REST API: `/docs`.',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: input.natsHost ?? 'localhost:4222',
        protocol: 'nats',
        description: input.natsHost
          ? `The NATS server this instance publishes to; with JetStream, the stream \`${input.stream.name}\` holds both event subjects for durable consumers.`
          : 'NATS is off on this instance (NATS_URL is empty): events reach WebSocket clients only.',
      },
      websocket: {
        host: '{host}',
        protocol: 'ws',
        description: 'This service; the same port serves HTTP.',
        variables: { host: { default: input.httpHost, description: 'host:port of the service' } },
      },
    },
    channels,
    operations,
    components: { schemas: input.schemas, messages },
  };
}

function eventMessage(event: CatalogEvent, schemas: Json, wsPath: string): Json {
  const payload = { $ref: `${SCHEMAS}${event.payload}` };
  return {
    name: event.name,
    title: event.name,
    summary: event.summary,
    description: `NATS subject: ${event.subjects.map((s) => `\`${s}\``).join(' or ')}; also on WebSocket \`${wsPath}\`.`,
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['id', 'seq', 'event', 'payload', 'ts', 'origin'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid', description: 'Unique per event (deduplicate on it)' },
        seq: {
          type: 'integer',
          minimum: 1,
          description:
            'Position in the service’s one event stream: +1 per event in commit order, no gaps, the same on every path and instance',
        },
        event: { type: 'string', const: event.name },
        payload: { ...payload, description: event.summary },
        ts: { type: 'string', format: 'date-time', description: 'When the change was recorded' },
        origin: { type: 'string', description: 'The instance that made the change' },
      },
    },
    examples: [
      {
        name: 'envelope',
        payload: {
          id: '0b8f9e3c-5d2a-4f61-9c7e-1a2b3c4d5e6f',
          seq: 42,
          event: event.name,
          payload: exampleOf(payload, schemas),
          ts: '2026-11-23T10:00:00.000Z',
          origin: 'host-1234-ab12cd34',
        },
      },
    ],
  };
}

function frameMessage(name: string, frame: FrameDefinition, key: 'payload' | 'data'): Json {
  return {
    name,
    title: name,
    summary: frame.summary,
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['event', ...(frame.body ? [key] : [])],
      properties: {
        event: { type: 'string', const: name },
        ...(frame.body && { [key]: frame.body }),
      },
    },
  };
}
