import { Injectable } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import { EventCatalog } from '../events/event-catalog.service';
import { Json } from '../events/payload-schemas';

/** A larger message on the event subjects is dropped unread: no envelope of ours comes near it. */
export const MAX_REMOTE_EVENT_BYTES = 256 * 1024;

export const DROP_REASONS = ['oversized', 'malformed', 'unknown_event', 'schema'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A position another instance committed, or why the message was dropped. */
export type RemoteVerdict = { seq: number } | { dropped: DropReason; why: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/**
 * Checks an envelope that came over NATS against the event catalog: its name must be one of the
 * catalog's events, and the whole envelope (payload included) must match that event's JSON
 * Schema in `/asyncapi.json`. Each event's schema is compiled when a message of it first arrives:
 * a single machine never gets one, and compiling them all is a tenth of a cold start.
 */
@Injectable()
export class RemoteEnvelopeCheck {
  private compiled?: { ajv: Ajv; schemas: Map<string, Json> };
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly catalog: EventCatalog) {}

  /** Every event's validator, compiled now: a schema that does not compile throws here. */
  compileAll(): string[] {
    const names = [...this.compiler().schemas.keys()];
    names.forEach((name) => this.validatorOf(name));
    return names;
  }

  private validatorOf(event: string): ValidateFunction | undefined {
    let validate = this.validators.get(event);
    if (!validate) {
      const { ajv, schemas } = this.compiler();
      const schema = schemas.get(event);
      validate = schema && ajv.compile(schema);
      if (validate) {
        this.validators.set(event, validate);
      }
    }
    return validate;
  }

  /** ajv, and each event's envelope schema by event name (a Map: no inherited names). */
  private compiler(): { ajv: Ajv; schemas: Map<string, Json> } {
    if (this.compiled) {
      return this.compiled;
    }
    const document = this.catalog.document();
    const components = document.components as { schemas: Json; messages: Json };
    const schemas = new Map<string, Json>();
    for (const [name, message] of Object.entries(components.messages)) {
      const payload = (message as { payload?: Json }).payload;
      if (payload && (payload.properties as Json | undefined)?.seq !== undefined) {
        // the payload's $refs point into the catalog's schemas, from the root of this schema
        schemas.set(name, { ...payload, components: { schemas: components.schemas } });
      }
    }
    // strict off: the root carries the catalog's `components`, which JSON Schema does not know
    const ajv = new Ajv({ strict: false, allErrors: false })
      .addFormat('uuid', UUID)
      .addFormat(
        'date-time',
        (value: string) => DATE_TIME.test(value) && !isNaN(Date.parse(value)),
      );
    this.compiled = { ajv, schemas };
    return this.compiled;
  }

  check(data: Uint8Array): RemoteVerdict {
    if (data.byteLength > MAX_REMOTE_EVENT_BYTES) {
      return { dropped: 'oversized', why: `${data.byteLength} bytes` };
    }
    let message: unknown;
    try {
      message = JSON.parse(Buffer.from(data).toString('utf8'));
    } catch {
      return { dropped: 'malformed', why: 'not JSON' };
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return { dropped: 'malformed', why: 'not a JSON object' };
    }
    const { event } = message as { event?: unknown };
    const validate = typeof event === 'string' ? this.validatorOf(event) : undefined;
    if (!validate) {
      const named = typeof event === 'string' ? JSON.stringify(event.slice(0, 64)) : 'none';
      return { dropped: 'unknown_event', why: `event ${named}` };
    }
    if (!validate(message)) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
      return { dropped: 'schema', why: `${event as string}: ${errors.join('; ').slice(0, 200)}` };
    }
    return { seq: (message as { seq: number }).seq };
  }
}
