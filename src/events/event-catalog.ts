import { Injectable, Type } from '@nestjs/common';
import { DomainEventName, EventDefinition, EventDefinitions } from './domain-events';

/**
 * The definitions of every domain event, handed in from above (this module imports no feature):
 * the relay reads the subject of each event here, the catalog everything else.
 */
@Injectable()
export class DomainEventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();

  register(definitions: Partial<EventDefinitions>): void {
    for (const [name, definition] of Object.entries(definitions) as [string, EventDefinition][]) {
      this.definitions.set(name, definition);
    }
  }

  /** The payload DTOs, for Swagger's `extraModels`: their schemas are the payloads' schemas. */
  payloadModels(): Type<unknown>[] {
    return [...new Set([...this.definitions.values()].map((d) => d.payload))];
  }

  /** Every registered event, in registration order. */
  all(): [DomainEventName, EventDefinition][] {
    return [...this.definitions] as [DomainEventName, EventDefinition][];
  }

  /** The NATS subject of this event with this payload. */
  subjectOf(event: DomainEventName, payload: unknown): string {
    const definition = this.definitions.get(event);
    if (!definition) {
      throw new Error(`no definition of the event ${event} was registered`);
    }
    return typeof definition.subject === 'string'
      ? definition.subject
      : definition.subject.pick(payload);
  }
}
