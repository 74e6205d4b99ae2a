import { Parser } from '@asyncapi/parser';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { buildAsyncApiDocument, toJsonSchema } from './asyncapi';
import { DOMAIN_EVENT_NAMES, DomainEventMap, DomainEventName, subjectFor } from './domain-events';
import { EVENT_PAYLOAD_MODELS } from './event-catalog';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a parsed JSON document
type Json = Record<string, any>;

/** A sample payload of each event, enough for subjectFor to pick the subject. */
const samples = (name: DomainEventName): DomainEventMap[DomainEventName][] =>
  name.startsWith('job.')
    ? [{ kind: 'products.refresh' }, { kind: 'rates.sync' }]
    : [{ job_id: 'j', source: 'mock', changed: [] }];

describe('The event catalog (AsyncAPI)', () => {
  let app: INestApplication;
  let openApi: OpenAPIObject;
  let doc: Json;
  let parsed: Awaited<ReturnType<Parser['parse']>>;

  beforeAll(async () => {
    app = (await Test.createTestingModule({}).compile()).createNestApplication({ logger: false });
    openApi = SwaggerModule.createDocument(app, new DocumentBuilder().setVersion('1.2.3').build(), {
      extraModels: EVENT_PAYLOAD_MODELS,
    });
    doc = buildAsyncApiDocument(openApi, {
      natsHost: 'nats.example:4222',
      httpHost: 'localhost:8000',
    });
    // as a client reads it: the JSON text
    parsed = await new Parser().parse(JSON.stringify(doc));
  });
  afterAll(async () => {
    await app.close();
  });

  it('is a valid AsyncAPI 3 document (no errors, no warnings from the parser)', () => {
    const { document, diagnostics } = parsed;
    // severity 0 = error, 1 = warning
    expect(
      diagnostics
        .filter((d) => Number(d.severity) <= 1)
        .map((d) => `${d.path.join('/')}: ${d.message}`),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.info().version()).toBe('1.2.3');
  });

  it('lists every event of the typed event map, on the NATS subjects subjectFor picks', () => {
    const { document } = parsed;
    const messageNames = document!
      .allMessages()
      .all()
      .map((m) => m.name());
    const subjectsOf = (name: string) =>
      document!
        .channels()
        .all()
        .filter(
          (c) =>
            c.address()?.endsWith('.updates') &&
            c
              .messages()
              .all()
              .some((m) => m.name() === name),
        )
        .map((c) => c.address());
    for (const name of DOMAIN_EVENT_NAMES) {
      expect({ name, listed: messageNames.includes(name) }).toEqual({ name, listed: true });
      const expected = [
        ...new Set(samples(name).map((payload) => subjectFor(name, payload))),
      ].sort();
      expect({ name, subjects: subjectsOf(name).sort() }).toEqual({ name, subjects: expected });
    }
    const live = document!
      .channels()
      .all()
      .find((c) => c.address() === '/ws/items');
    expect(
      live
        ?.messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(expect.arrayContaining(DOMAIN_EVENT_NAMES));
  });

  it('lists no event the map does not have (besides the WebSocket protocol frames)', () => {
    const frames = ['welcome', 'pong', 'subscribed', 'error', 'ping', 'subscribe'];
    expect(Object.keys(doc.components.messages).sort()).toEqual(
      [...DOMAIN_EVENT_NAMES, ...frames].sort(),
    );
  });

  it('describes each message as the envelope, its payload as the DTO schema shared with Swagger', () => {
    const itemCreated = doc.components.messages['item.created'];
    expect(itemCreated.payload.required).toEqual(['id', 'event', 'payload', 'ts', 'origin']);
    expect(itemCreated.payload.properties.event).toEqual({ type: 'string', const: 'item.created' });
    expect(itemCreated.payload.properties.payload.$ref).toBe('#/components/schemas/ItemDto');
    const item = doc.components.schemas.ItemDto;
    expect(Object.keys(item.properties).sort()).toEqual(
      Object.keys((openApi.components!.schemas!.ItemDto as Json).properties).sort(),
    );
    expect(item.properties.rate).toEqual({ type: 'number', examples: [0.92] });
    expect(doc.components.schemas.JobEventDto.properties.finished_at.type).toEqual([
      'string',
      'null',
    ]);
    expect(doc.components.schemas.RatesSyncedDto.properties.changed.items).toEqual({
      $ref: '#/components/schemas/ItemDto',
    });
  });

  it('gives each event an example envelope built from the DTOs’ examples', () => {
    const [example] = doc.components.messages['rates.synced'].examples;
    expect(example.payload).toMatchObject({
      event: 'rates.synced',
      payload: { job_id: expect.any(String), changed: [{ code: 'EUR', base: 'USD', rate: 0.92 }] },
    });
  });

  it('refuses to build without the payload schemas (Swagger extraModels forgotten)', () => {
    const bare = { ...openApi, components: { schemas: {} } };
    expect(() => buildAsyncApiDocument(bare, { httpHost: 'localhost:8000' })).toThrow(
      /schema \w+Dto is missing/,
    );
  });

  it('says when NATS is off on this instance', () => {
    const off: Json = buildAsyncApiDocument(openApi, { httpHost: 'localhost:8000' });
    expect(off.servers.nats.description).toMatch(/NATS is off/);
  });
});

describe('toJsonSchema (Swagger’s OpenAPI 3.0 schemas → JSON Schema)', () => {
  it('turns nullable into a null type, example into examples, boolean exclusive bounds into numbers', () => {
    expect(
      toJsonSchema({ type: 'string', nullable: true, example: 'x', enum: ['a', 'b'] }),
    ).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null], examples: ['x'] });
    expect(toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(toJsonSchema({ $ref: '#/components/schemas/A', nullable: true })).toEqual({
      oneOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }],
    });
  });

  it('converts nested schemas but leaves property names alone', () => {
    expect(
      toJsonSchema({
        type: 'object',
        properties: {
          example: { type: 'string', nullable: true },
          list: { type: 'array', items: { type: 'integer', example: 1 } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        example: { type: ['string', 'null'] },
        list: { type: 'array', items: { type: 'integer', examples: [1] } },
      },
    });
  });
});
