/**
 * Every domain event and its payload, in one typed map (SPEC §6). Services raise these; how they
 * travel (outbox, NATS, WebSocket) is the Events and Gateway modules' business.
 */
export interface DomainEventMap {
  'product.created': Record<string, unknown>;
  'product.updated': Record<string, unknown>;
  'product.deleted': Record<string, unknown>;
  'item.created': Record<string, unknown>;
  'item.updated': Record<string, unknown>;
  'item.deleted': Record<string, unknown>;
  'rates.synced': { job_id: string; source: string; changed: Record<string, unknown>[] };
  'job.started': Record<string, unknown>;
  'job.finished': Record<string, unknown>;
}

export type DomainEventName = keyof DomainEventMap;
