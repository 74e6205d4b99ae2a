import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { OpenAPIObject } from '@nestjs/swagger';
import { appConfig } from '../config/app.config';
import { eventsConfig } from '../config/events.config';
import { natsConfig } from '../config/nats.config';
import { buildAsyncApiDocument, CatalogEvent, WebSocketChannel } from './asyncapi-document';
import { subjectsOf } from './domain-events';
import { DomainEventRegistry } from './event-catalog';
import { Json, payloadSchemas } from './payload-schemas';

/** Holds the AsyncAPI document served at `/asyncapi.json`. */
@Injectable()
export class EventCatalog {
  private websocket?: WebSocketChannel;
  private source?: { openApi: () => OpenAPIObject; websocket: WebSocketChannel };
  private built?: Json;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
    @Inject(eventsConfig.KEY) private readonly events: ConfigType<typeof eventsConfig>,
    private readonly registry: DomainEventRegistry,
  ) {}

  /** The gateway describes its protocol here: this module does not import the gateway. */
  describeWebSocket(channel: WebSocketChannel): void {
    this.websocket = channel;
  }

  /**
   * configureApp hands over the Swagger document (created with the registry's payload models as
   * extraModels), whose DTO schemas are the event payloads' schemas. The catalog is built from it
   * when first asked for: building both documents is a tenth of a cold start.
   */
  buildFrom(openApi: () => OpenAPIObject): void {
    if (!this.websocket) {
      throw new Error(
        'the event catalog has no WebSocket channel: the gateway module describes it',
      );
    }
    this.source = { openApi, websocket: this.websocket };
  }

  document(): Json {
    if (!this.source) {
      throw new Error('the event catalog has no OpenAPI document: configureApp hands it over');
    }
    this.built ??= this.build(this.source.openApi(), this.source.websocket);
    return this.built;
  }

  private build(openApi: OpenAPIObject, websocket: WebSocketChannel): Json {
    const events: CatalogEvent[] = this.registry.all().map(([name, definition]) => ({
      name,
      summary: definition.summary,
      subjects: subjectsOf(definition),
      payload: definition.payload.name,
    }));
    const nats = this.nats.servers[0];
    return buildAsyncApiDocument({
      version: openApi.info.version,
      events,
      schemas: payloadSchemas(
        openApi,
        events.map((e) => e.payload),
      ),
      websocket,
      // the host only: a URL's user and password stay out of a public document
      natsHost: nats === undefined ? undefined : new URL(nats).host,
      httpHost: `localhost:${this.app.port}`,
      stream: {
        name: this.events.streamName,
        retentionHours: this.events.retentionHours,
        retentionMax: this.events.retentionMax,
      },
    });
  }
}
