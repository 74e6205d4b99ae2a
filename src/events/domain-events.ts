/**
 * Every domain event and its payload, in one typed map (SPEC §6). Services record these inside
 * their transaction; the outbox relay takes them to NATS and the gateway to WebSocket clients.
 */
export interface DomainEventMap {
  'product.created': Record<string, unknown>;
  'product.updated': Record<string, unknown>;
  'product.deleted': Record<string, unknown>;
  'item.created': Record<string, unknown>;
  'item.updated': Record<string, unknown>;
  'item.deleted': Record<string, unknown>;
  'rates.synced': { job_id: string; source: string; changed: Record<string, unknown>[] };
  'job.started': Record<string, unknown> & { kind: string };
  'job.finished': Record<string, unknown> & { kind: string };
}

export type DomainEventName = keyof DomainEventMap;

/** Every name, checked against the map by the compiler (a missing or extra name fails to build). */
const NAMES: Record<DomainEventName, true> = {
  'product.created': true,
  'product.updated': true,
  'product.deleted': true,
  'item.created': true,
  'item.updated': true,
  'item.deleted': true,
  'rates.synced': true,
  'job.started': true,
  'job.finished': true,
};
export const DOMAIN_EVENT_NAMES = Object.keys(NAMES) as DomainEventName[];

/** The one envelope of every event, on NATS and WebSocket alike (no top-level `data`/`pattern`). */
export interface EventEnvelope<E extends DomainEventName = DomainEventName> {
  id: string;
  event: E;
  payload: DomainEventMap[E];
  ts: string;
  origin: string;
}

export const PRODUCTS_SUBJECT = 'products.updates';
export const ITEMS_SUBJECT = 'items.updates';

/** Products' events (and products' jobs) go to products.updates; rates' to items.updates. */
export function subjectFor<E extends DomainEventName>(
  event: E,
  payload: DomainEventMap[E],
): string {
  if (event.startsWith('product.')) {
    return PRODUCTS_SUBJECT;
  }
  if (event.startsWith('job.')) {
    return (payload as { kind: string }).kind.startsWith('products.')
      ? PRODUCTS_SUBJECT
      : ITEMS_SUBJECT;
  }
  return ITEMS_SUBJECT;
}
