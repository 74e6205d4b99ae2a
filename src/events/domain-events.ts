import { Type } from '@nestjs/common';

/**
 * Every domain event and its payload type. Empty here: each feature adds its own events from its
 * `*.events.ts` file (module augmentation), so this module never imports a feature. Services
 * record these inside their transaction; the relay takes them to NATS, the gateway to WebSocket.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap;

/** One event as a service records it. */
export type DomainEvent = {
  [E in DomainEventName]: { event: E; payload: DomainEventMap[E] };
}[DomainEventName];

/** The one envelope of every event, on NATS and WebSocket alike (no top-level `data`/`pattern`). */
export interface EventEnvelope<E extends DomainEventName = DomainEventName> {
  id: string;
  /** The position in the service's one event stream: gap-free, in commit order. */
  seq: number;
  event: E;
  payload: DomainEventMap[E];
  ts: string;
  origin: string;
}

/** The service's two NATS subjects: products' changes, and currency rates' changes. */
export const PRODUCTS_SUBJECT = 'products.updates';
export const ITEMS_SUBJECT = 'items.updates';

/** Everything about one event: the typed map, the relay and the catalog all read it. */
export interface EventDefinition<P = unknown> {
  /** One sentence for the catalog: what happened. */
  summary: string;
  /** The response DTO: the payload's type, and through its Swagger schema its documented shape. */
  payload: Type<P>;
  /** The NATS subject; or every subject the event may go to, and the rule that picks one. */
  subject: string | { oneOf: readonly string[]; pick(payload: P): string };
}

export type EventDefinitions<M = DomainEventMap> = { [E in keyof M]: EventDefinition<M[E]> };

/** The payload type of each event in a set of definitions: what a feature adds to the map. */
export type PayloadsOf<D> = { [E in keyof D]: D[E] extends EventDefinition<infer P> ? P : never };

/** Declares a feature's events; the payload types are inferred from the DTO classes. */
export function defineEvents<M>(definitions: EventDefinitions<M>): EventDefinitions<M> {
  return definitions;
}

/** Every subject an event may be published to. */
export function subjectsOf(definition: EventDefinition): readonly string[] {
  return typeof definition.subject === 'string' ? [definition.subject] : definition.subject.oneOf;
}
