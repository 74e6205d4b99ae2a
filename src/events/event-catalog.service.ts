import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { OpenAPIObject } from '@nestjs/swagger';
import { appConfig } from '../config/app.config';
import { natsConfig } from '../config/nats.config';
import { buildAsyncApiDocument } from './asyncapi';

/** Holds the AsyncAPI document served at `/asyncapi.json`. */
@Injectable()
export class EventCatalog {
  private built?: Record<string, unknown>;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
  ) {}

  /**
   * Built by configureApp from the Swagger document (created with `EVENT_PAYLOAD_MODELS` as
   * extraModels), whose DTO schemas are the event payloads' schemas.
   */
  build(openApi: OpenAPIObject): void {
    const nats = this.nats.servers[0];
    this.built = buildAsyncApiDocument(openApi, {
      // the host only: a URL's user and password stay out of a public document
      natsHost: nats === undefined ? undefined : new URL(nats).host,
      httpHost: `localhost:${this.app.port}`,
    });
  }

  document(): Record<string, unknown> {
    if (!this.built) {
      throw new Error('the event catalog was not built: configureApp builds it at startup');
    }
    return this.built;
  }
}
