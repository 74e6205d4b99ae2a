import { Parser } from '@asyncapi/parser';
import { INestApplication } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { appConfig } from '../config/app.config';
import { eventsConfig } from '../config/events.config';
import { natsConfig } from '../config/nats.config';
import { subjectsOf } from '../events/domain-events';
import { DomainEventRegistry } from '../events/event-catalog';
import { EventCatalog } from '../events/event-catalog.service';
import { DOMAIN_EVENT_NAMES, DOMAIN_EVENTS } from './domain-event-list';
import { CLIENT_FRAMES, SERVER_FRAMES, WEBSOCKET_CHANNEL } from './frames';
import { RemoteEnvelopeCheck } from './remote-envelope.check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a built JSON document
type Json = Record<string, any>;

/** The service's own catalog: its event definitions, the gateway's frames, Swagger's DTO schemas. */
describe('The event catalog of the service', () => {
  let app: INestApplication;
  let openApi: OpenAPIObject;
  let doc: Json;
  let catalog: EventCatalog;
  const registry = new DomainEventRegistry();

  beforeAll(async () => {
    registry.register(DOMAIN_EVENTS);
    app = (await Test.createTestingModule({}).compile()).createNestApplication({ logger: false });
    openApi = SwaggerModule.createDocument(app, new DocumentBuilder().setVersion('1.2.3').build(), {
      extraModels: registry.payloadModels(),
    });
    catalog = new EventCatalog(
      { port: 8000 } as ConfigType<typeof appConfig>,
      { servers: ['nats://user:secret@nats.example:4222'] } as ConfigType<typeof natsConfig>,
      { streamName: 'CATALOG_EVENTS', retentionHours: 24, retentionMax: 1000000 } as ConfigType<
        typeof eventsConfig
      >,
      registry,
    );
    catalog.describeWebSocket(WEBSOCKET_CHANNEL);
    catalog.buildFrom(() => openApi);
    doc = catalog.document();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is a valid AsyncAPI 3 document (no errors, no warnings from the parser)', async () => {
    // as a client reads it: the JSON text
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(
      diagnostics
        .filter((d) => Number(d.severity) <= 1)
        .map((d) => `${d.path.join('/')}: ${d.message}`),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.info().version()).toBe('1.2.3');
    expect(doc.servers.nats.host).toBe('nats.example:4222');
  });

  it('gives every event an envelope schema that compiles, to check what other instances send', () => {
    const compiled = new RemoteEnvelopeCheck(catalog).compileAll();
    expect(compiled.sort()).toEqual([...DOMAIN_EVENT_NAMES].sort());
  });

  it('lists every event on the NATS subjects its definition names, and every frame of the gateway', () => {
    for (const name of DOMAIN_EVENT_NAMES) {
      const subjects = Object.values(doc.channels as Json)
        .filter((c) => c.address.endsWith('.updates') && name in c.messages)
        .map((c) => c.address);
      expect({ name, subjects }).toEqual({ name, subjects: subjectsOf(DOMAIN_EVENTS[name]) });
    }
    expect(Object.keys(doc.components.messages).sort()).toEqual(
      [...DOMAIN_EVENT_NAMES, ...Object.keys(SERVER_FRAMES), ...Object.keys(CLIENT_FRAMES)].sort(),
    );
    expect(Object.keys(doc.channels.liveEvents.messages)).toEqual(
      expect.arrayContaining(DOMAIN_EVENT_NAMES),
    );
  });

  it('documents resuming: welcome’s position, the resume frame and both answers', () => {
    const { messages } = doc.components;
    expect(messages.welcome.payload.properties.payload.required).toEqual(
      expect.arrayContaining(['seq', 'epoch']),
    );
    expect(messages.resume.payload.properties.data.required).toEqual(['after', 'epoch']);
    const answers = messages.resumed.payload.properties.payload.oneOf as Json[];
    expect(answers.map((a) => a.required)).toEqual([
      ['after', 'to', 'recovered'],
      ['recovered', 'earliest_seq', 'seq'],
    ]);
  });

  it('routes jobs by kind: products’ jobs to products.updates, the others to items.updates', () => {
    const job = (kind: string) => ({ kind }) as never;
    expect(registry.subjectOf('job.started', job('products.refresh'))).toBe('products.updates');
    expect(registry.subjectOf('job.finished', job('rates.sync'))).toBe('items.updates');
    expect(registry.subjectOf('product.created', {})).toBe('products.updates');
  });

  it('takes each payload schema from the DTO’s Swagger schema', () => {
    expect(doc.components.messages['item.created'].payload.properties.payload.$ref).toBe(
      '#/components/schemas/ItemDto',
    );
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
    const [example] = doc.components.messages['rates.synced'].examples;
    expect(example.payload).toMatchObject({
      event: 'rates.synced',
      payload: { job_id: expect.any(String), changed: [{ code: 'EUR', base: 'USD', rate: 0.92 }] },
    });
  });
});
