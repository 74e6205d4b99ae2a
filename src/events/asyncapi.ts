import type { OpenAPIObject } from '@nestjs/swagger';
import { DOMAIN_EVENT_NAMES, DomainEventName } from './domain-events';
import { EVENT_CATALOG, EventSubject } from './event-catalog';

type Json = Record<string, unknown>;

export interface AsyncApiOptions {
  /** `host:port` of the NATS server this instance publishes to; undefined when NATS is off. */
  natsHost?: string;
  /** `host:port` where this instance serves HTTP and WebSocket by default. */
  httpHost: string;
}

export const ASYNCAPI_VERSION = '3.0.0';
const SCHEMAS = '#/components/schemas/';
const CHANNEL_IDS: Record<EventSubject, string> = {
  'products.updates': 'productsUpdates',
  'items.updates': 'itemsUpdates',
};
const LIVE_CHANNEL = 'liveEvents';
/** Frames of the WebSocket protocol around the events (SPEC §6): server → client, client → server. */
const SERVER_FRAMES = ['welcome', 'pong', 'subscribed', 'error'] as const;
const CLIENT_FRAMES = ['ping', 'subscribe'] as const;

/**
 * The AsyncAPI 3 document of every event: its name, NATS subject and payload schema. The payload
 * schemas are the Swagger schemas of the response DTOs (`EVENT_CATALOG[name].payload`), taken
 * from the OpenAPI document, so a DTO's fields are described once for REST and events alike.
 */
export function buildAsyncApiDocument(openApi: OpenAPIObject, options: AsyncApiOptions): Json {
  const schemas = payloadSchemas(openApi);
  const messages: Json = {};
  for (const name of DOMAIN_EVENT_NAMES) {
    messages[name] = eventMessage(name, schemas);
  }
  Object.assign(messages, frameMessages());

  const channels: Json = {};
  const operations: Json = {};
  for (const [subject, id] of Object.entries(CHANNEL_IDS) as [EventSubject, string][]) {
    const names = DOMAIN_EVENT_NAMES.filter((name) =>
      EVENT_CATALOG[name].subjects.includes(subject),
    );
    channels[id] = {
      address: subject,
      title: subject,
      description: `Domain events on NATS subject \`${subject}\`; the message body is the plain envelope JSON.`,
      servers: [{ $ref: '#/servers/nats' }],
      messages: refs(names, (name) => `#/components/messages/${name}`),
    };
    operations[`publish_${id}`] = {
      action: 'send',
      title: `Publish to ${subject}`,
      description:
        'Every committed change, through the outbox: delivered at least once, in commit order, ' +
        'also while NATS was down (the relay retries until NATS confirms).',
      channel: { $ref: `#/channels/${id}` },
      messages: names.map((name) => ({ $ref: `#/channels/${id}/messages/${name}` })),
    };
    operations[`relay_${id}`] = {
      action: 'receive',
      title: `Relay other instances' events from ${subject}`,
      description:
        'Events of other instances (another `origin`) are passed on to this instance’s ' +
        'WebSocket clients; its own are not relayed twice; malformed messages are dropped.',
      channel: { $ref: `#/channels/${id}` },
      messages: names.map((name) => ({ $ref: `#/channels/${id}/messages/${name}` })),
    };
  }

  const liveNames = [...DOMAIN_EVENT_NAMES, ...SERVER_FRAMES, ...CLIENT_FRAMES];
  channels[LIVE_CHANNEL] = {
    address: '/ws/items',
    title: 'WebSocket /ws/items',
    description:
      'On connect the server sends `welcome`, then every event envelope as one JSON text frame. ' +
      'Client frames use NestJS’s `{"event", "data"}` form.',
    servers: [{ $ref: '#/servers/websocket' }],
    messages: refs(liveNames, (name) => `#/components/messages/${name}`),
  };
  const liveRefs = (names: readonly string[]) =>
    names.map((name) => ({ $ref: `#/channels/${LIVE_CHANNEL}/messages/${name}` }));
  operations.send_liveEvents = {
    action: 'send',
    title: 'Events and answers to WebSocket clients',
    channel: { $ref: `#/channels/${LIVE_CHANNEL}` },
    messages: liveRefs([...DOMAIN_EVENT_NAMES, ...SERVER_FRAMES]),
  };
  operations.receive_clientFrames = {
    action: 'receive',
    title: 'Commands from WebSocket clients',
    description:
      '`ping` is answered with `pong`; `subscribe` narrows the stream and is answered with ' +
      '`subscribed`; anything else gets `error` and the connection stays up.',
    channel: { $ref: `#/channels/${LIVE_CHANNEL}` },
    messages: liveRefs(CLIENT_FRAMES),
  };

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'catalog-rates events',
      version: openApi.info.version,
      description:
        'Every domain event of catalog-rates: its name, NATS subject and payload. Each message ' +
        'is the same envelope `{id, event, payload, ts, origin}` on NATS and WebSocket alike ' +
        '(no top-level `data` or `pattern`). REST API: `/docs`.',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: options.natsHost ?? 'localhost:4222',
        protocol: 'nats',
        description: options.natsHost
          ? 'The NATS server this instance publishes to.'
          : 'NATS is off on this instance (NATS_URL is empty): events reach WebSocket clients only.',
      },
      websocket: {
        host: '{host}',
        protocol: 'ws',
        description: 'This service; the same port serves HTTP.',
        variables: { host: { default: options.httpHost, description: 'host:port of the service' } },
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

function refs(names: readonly string[], ref: (name: string) => string): Json {
  return Object.fromEntries(names.map((name) => [name, { $ref: ref(name) }]));
}

/** The payload DTOs' schemas and everything they refer to, as JSON Schema. */
function payloadSchemas(openApi: OpenAPIObject): Json {
  const source = (openApi.components?.schemas ?? {}) as Json;
  const out: Json = {};
  const pending = [...new Set(Object.values(EVENT_CATALOG).map((entry) => entry.payload.name))];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in out) {
      continue;
    }
    if (!(name in source)) {
      throw new Error(
        `schema ${name} is missing from the OpenAPI document: pass EVENT_PAYLOAD_MODELS as Swagger extraModels`,
      );
    }
    out[name] = toJsonSchema(source[name]);
    pending.push(...referencedSchemas(out[name]));
  }
  return out;
}

function referencedSchemas(node: unknown): string[] {
  if (Array.isArray(node)) {
    return node.flatMap(referencedSchemas);
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const ref = (node as Json).$ref;
  const own = typeof ref === 'string' && ref.startsWith(SCHEMAS) ? [ref.slice(SCHEMAS.length)] : [];
  return [...own, ...Object.values(node).flatMap(referencedSchemas)];
}

const SUBSCHEMA = new Set(['items', 'not', 'additionalProperties']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'oneOf', 'anyOf']);

/**
 * OpenAPI 3.0 schema (Swagger's dialect) → JSON Schema (AsyncAPI's default): `nullable` becomes a
 * `null` type, `example` becomes `examples`, boolean `exclusiveMinimum/Maximum` become numbers.
 */
export function toJsonSchema(schema: unknown): Json {
  const { nullable, example, ...rest } = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (SUBSCHEMA.has(key) && typeof value === 'object' && value !== null) {
      out[key] = toJsonSchema(value);
    } else if (SUBSCHEMA_LISTS.has(key)) {
      out[key] = (value as unknown[]).map(toJsonSchema);
    } else {
      out[key] = value;
    }
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) {
      delete out[flag];
    }
  }
  if (example !== undefined) {
    out.examples = [example];
  }
  if (nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) {
        out.enum = [...(out.enum as unknown[]), null];
      }
    } else if ('$ref' in out) {
      return { oneOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

/** An example value built from the schema's own `examples` (the DTOs' `@ApiProperty({ example })`). */
function exampleOf(schema: Json, schemas: Json, depth = 0): unknown {
  if (depth > 8) {
    return undefined;
  }
  if (typeof schema.$ref === 'string') {
    return exampleOf(schemas[schema.$ref.slice(SCHEMAS.length)] as Json, schemas, depth + 1);
  }
  if (Array.isArray(schema.examples)) {
    return schema.examples[0];
  }
  if (Array.isArray(schema.enum)) {
    return schema.enum[0];
  }
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties as Json).map(([name, sub]) => [
        name,
        exampleOf(sub as Json, schemas, depth + 1),
      ]),
    );
  }
  if (schema.items) {
    return [exampleOf(schema.items as Json, schemas, depth + 1)];
  }
  return undefined;
}

function eventMessage(name: DomainEventName, schemas: Json): Json {
  const entry = EVENT_CATALOG[name];
  const payload = { $ref: `${SCHEMAS}${entry.payload.name}` };
  return {
    name,
    title: name,
    summary: entry.summary,
    description: `NATS subject: ${entry.subjects.map((s) => `\`${s}\``).join(' or ')}; also on WebSocket \`/ws/items\`.`,
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['id', 'event', 'payload', 'ts', 'origin'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid', description: 'Unique per event (deduplicate on it)' },
        event: { type: 'string', const: name },
        payload: { ...payload, description: entry.summary },
        ts: { type: 'string', format: 'date-time', description: 'When the change was recorded' },
        origin: { type: 'string', description: 'The instance that made the change' },
      },
    },
    examples: [
      {
        name: 'envelope',
        payload: {
          id: '0b8f9e3c-5d2a-4f61-9c7e-1a2b3c4d5e6f',
          event: name,
          payload: exampleOf(payload, schemas),
          ts: '2026-11-23T10:00:00.000Z',
          origin: 'host-1234-ab12cd34',
        },
      },
    ],
  };
}

function frame(
  name: string,
  summary: string,
  body?: { key: 'payload' | 'data'; schema: Json },
): Json {
  return {
    name,
    title: name,
    summary,
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['event', ...(body ? [body.key] : [])],
      properties: {
        event: { type: 'string', const: name },
        ...(body && { [body.key]: body.schema }),
      },
    },
  };
}

function frameMessages(): Json {
  const patterns = {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: {
      type: 'string',
      description: 'An event name, a `prefix.*` pattern (e.g. `item.*`) or `*`',
    },
    examples: [['item.*', 'rates.synced']],
  };
  const object = (properties: Json): Json => ({
    type: 'object',
    required: Object.keys(properties),
    properties,
  });
  return {
    welcome: frame('welcome', 'Sent once on connect: the instance and every event name.', {
      key: 'payload',
      schema: object({
        instance: { type: 'string' },
        events: { type: 'array', items: { type: 'string', enum: DOMAIN_EVENT_NAMES } },
      }),
    }),
    pong: frame('pong', 'The answer to `ping`.'),
    subscribed: frame('subscribed', 'The answer to `subscribe`: the patterns now in force.', {
      key: 'payload',
      schema: object({ events: patterns }),
    }),
    error: frame('error', 'An invalid client frame; the connection stays up.', {
      key: 'payload',
      schema: object({ message: { type: 'string' } }),
    }),
    ping: frame('ping', 'Answered with `pong`.'),
    subscribe: frame('subscribe', 'Narrows the events this client gets.', {
      key: 'data',
      schema: object({ events: patterns }),
    }),
  };
}
