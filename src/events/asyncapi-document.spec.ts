import { AsyncApiInput, buildAsyncApiDocument } from './asyncapi-document';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a built JSON document
type Json = Record<string, any>;

const input: AsyncApiInput = {
  version: '1.2.3',
  events: [
    { name: 'a.created', summary: 'An a was created.', subjects: ['as.updates'], payload: 'ADto' },
    {
      name: 'job.done',
      summary: 'A job ended.',
      subjects: ['as.updates', 'bs.updates'],
      payload: 'JobDto',
    },
  ],
  schemas: {
    ADto: {
      type: 'object',
      properties: {
        id: { type: 'number', examples: [7] },
        tags: { $ref: '#/components/schemas/Tags' },
      },
      required: ['id'],
    },
    Tags: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } },
    JobDto: { type: 'object', properties: { kind: { type: 'string', examples: ['a.sync'] } } },
  },
  websocket: {
    path: '/ws/test',
    description: 'The test channel.',
    clientFramesDescription: '`hello` is answered with `hi`.',
    serverFrames: {
      hi: {
        summary: 'The answer.',
        body: { type: 'object', properties: { n: { type: 'number' } } },
      },
    },
    clientFrames: { hello: { summary: 'The question.' } },
  },
  natsHost: 'nats.example:4222',
  httpHost: 'localhost:8000',
  stream: { name: 'EVENTS', retentionHours: 24, retentionMax: 1000 },
};

describe('buildAsyncApiDocument', () => {
  const doc: Json = buildAsyncApiDocument(input);

  it('gives each NATS subject a channel with the events published to it, in order', () => {
    expect(doc.channels.asUpdates.address).toBe('as.updates');
    expect(Object.keys(doc.channels.asUpdates.messages)).toEqual(['a.created', 'job.done']);
    expect(Object.keys(doc.channels.bsUpdates.messages)).toEqual(['job.done']);
    expect(Object.keys(doc.operations)).toEqual([
      'publish_asUpdates',
      'relay_asUpdates',
      'publish_bsUpdates',
      'relay_bsUpdates',
      'send_liveEvents',
      'receive_clientFrames',
    ]);
    expect(doc.components.messages['job.done'].description).toBe(
      'NATS subject: `as.updates` or `bs.updates`; also on WebSocket `/ws/test`.',
    );
  });

  it('describes each event as the envelope around its payload schema, with an example', () => {
    const message = doc.components.messages['a.created'];
    expect(message.payload.required).toEqual(['id', 'seq', 'event', 'payload', 'ts', 'origin']);
    expect(message.payload.properties.event).toEqual({ type: 'string', const: 'a.created' });
    expect(message.payload.properties.payload).toEqual({
      $ref: '#/components/schemas/ADto',
      description: 'An a was created.',
    });
    expect(message.examples[0].payload).toMatchObject({
      event: 'a.created',
      payload: { id: 7, tags: ['x'] },
    });
    expect(doc.components.schemas).toBe(input.schemas);
  });

  it('puts the gateway’s frames on the WebSocket channel: server frames with payload, client frames with data', () => {
    const live = doc.channels.liveEvents;
    expect(live.address).toBe('/ws/test');
    expect(Object.keys(live.messages)).toEqual(['a.created', 'job.done', 'hi', 'hello']);
    expect(doc.components.messages.hi.payload).toEqual({
      type: 'object',
      required: ['event', 'payload'],
      properties: {
        event: { type: 'string', const: 'hi' },
        payload: input.websocket.serverFrames.hi.body,
      },
    });
    expect(doc.components.messages.hello.payload.required).toEqual(['event']);
    expect(doc.operations.send_liveEvents.messages).toHaveLength(3);
    expect(doc.operations.receive_clientFrames.description).toBe(
      input.websocket.clientFramesDescription,
    );
  });

  it('says when NATS is off on this instance', () => {
    const off: Json = buildAsyncApiDocument({ ...input, natsHost: undefined });
    expect(off.servers.nats.description).toMatch(/NATS is off/);
    expect(doc.servers.nats.host).toBe('nats.example:4222');
  });
});

describe('the JetStream stream in the catalog', () => {
  it('names the stream, its limits and the de-duplication header on each subject', () => {
    const doc = buildAsyncApiDocument(input);
    const publish = Object.entries(doc.operations as Json).filter(([id]) =>
      id.startsWith('publish_'),
    );
    expect(publish.length).toBeGreaterThan(0);
    for (const [, operation] of publish) {
      expect(operation.description).toContain('`EVENTS`');
      expect(operation.description).toContain('24 h, at most 1000 events');
      expect(operation.description).toContain('Nats-Msg-Id');
    }
  });
});
