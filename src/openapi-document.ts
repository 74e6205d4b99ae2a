import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentRequestErrors } from './common/openapi-error-responses';
import { removeUnusedSchemas } from './common/openapi-unused-schemas';
import { DomainEventRegistry } from './events/event-catalog';
import { documentLivePage } from './live/live-openapi';
import { documentApiKeys } from './security/openapi-security';

/** Every tag a controller uses, declared here so the document says what each group is for. */
const TAGS: Record<string, string> = {
  products: 'The product catalog, mirrored from the external product API',
  items: 'Currency rates ("items") and their history',
  tasks: 'Background jobs: the products refresh and the rates sync, their progress',
  events: 'Domain events: the catalog (AsyncAPI), the retained stream, Server-Sent Events',
  health: 'Liveness and readiness probes',
  operations: 'Metrics for Prometheus',
  live: 'The live page',
};

const DESCRIPTION =
  'Products mirrored from an external product API and currency rates kept fresh. ' +
  'Errors always have the shape of `ErrorResponseDto`; every response carries `X-Request-Id`.\n\n' +
  'Reads are open to anyone; writes need one of `API_KEYS` when it is set, and come from ' +
  'loopback only when it is empty (unless `ALLOW_ANONYMOUS_WRITES=true`).\n\n' +
  'Events: the catalog of every event, its NATS subject and payload is the AsyncAPI 3 document ' +
  '[/asyncapi.json](/asyncapi.json); the live page [/live](/live) shows them as they happen.';

/**
 * The document served at /docs-json (and read by the event catalog): Swagger's scan of the
 * controllers, then what the scan cannot know — the security of each route by method, the errors
 * every request can get, the live page served outside Swagger's sight, and which schemas an
 * event's payload can have.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('catalog-rates')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    // package.json's license: npm's documentation says what UNLICENSED means
    .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
    // relative: "Try it out" calls whichever host served the document
    .addServer('/', 'This service');
  for (const [name, description] of Object.entries(TAGS)) {
    builder.addTag(name, description);
  }
  const payloadModels = app.get(DomainEventRegistry).payloadModels();
  // the event payloads' schemas, reused by the AsyncAPI document
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: payloadModels,
  });
  documentLivePage(document);
  documentApiKeys(document);
  documentRequestErrors(document);
  documentEventPayloads(
    document,
    payloadModels.map((model) => getSchemaPath(model)),
  );
  return removeUnusedSchemas(document);
}

/** An envelope's payload is one of the registered payload schemas, whichever its event is. */
function documentEventPayloads(document: OpenAPIObject, refs: string[]): void {
  const envelope = document.components?.schemas?.EventEnvelopeDto;
  if (!envelope || !('properties' in envelope) || !envelope.properties) {
    throw new Error('EventEnvelopeDto is missing from the OpenAPI document');
  }
  const payload = envelope.properties.payload;
  envelope.properties.payload = {
    description: 'description' in payload ? payload.description : undefined,
    anyOf: refs.map(($ref) => ({ $ref })),
  };
}
