import { Type } from '@nestjs/common';
import { JobEventDto } from '../jobs/dto/job-event.dto';
import { ProductDto } from '../products/dto/product.dto';
import { ItemDto } from '../rates/dto/item.dto';
import { RatesSyncedDto } from '../rates/dto/rates-synced.dto';
import { DomainEventName, ITEMS_SUBJECT, PRODUCTS_SUBJECT } from './domain-events';

export type EventSubject = typeof PRODUCTS_SUBJECT | typeof ITEMS_SUBJECT;

export interface CatalogEntry {
  summary: string;
  /** Where the event is published on NATS (`subjectFor` decides per event; both for jobs). */
  subjects: readonly EventSubject[];
  /** The response DTO whose Swagger schema is the payload's schema. */
  payload: Type<unknown>;
}

const JOB_SUBJECTS = [PRODUCTS_SUBJECT, ITEMS_SUBJECT] as const;

/**
 * What each event means, where it goes and what it carries: the one source of the AsyncAPI
 * document (`/asyncapi.json`). Keyed by the event map, so an event added there without an entry
 * here does not compile.
 */
export const EVENT_CATALOG: Record<DomainEventName, CatalogEntry> = {
  'product.created': {
    summary: 'A product was created (POST /products, fetch_external, refresh_all).',
    subjects: [PRODUCTS_SUBJECT],
    payload: ProductDto,
  },
  'product.updated': {
    summary: 'A product changed (PUT, PATCH, fetch_external, refresh_all).',
    subjects: [PRODUCTS_SUBJECT],
    payload: ProductDto,
  },
  'product.deleted': {
    summary: 'A product was deleted; the payload is the deleted record.',
    subjects: [PRODUCTS_SUBJECT],
    payload: ProductDto,
  },
  'item.created': {
    summary: 'A currency rate was created over REST.',
    subjects: [ITEMS_SUBJECT],
    payload: ItemDto,
  },
  'item.updated': {
    summary: 'A currency rate was changed over REST (PATCH).',
    subjects: [ITEMS_SUBJECT],
    payload: ItemDto,
  },
  'item.deleted': {
    summary: 'A currency rate was deleted; the payload is the deleted record.',
    subjects: [ITEMS_SUBJECT],
    payload: ItemDto,
  },
  'rates.synced': {
    summary: 'A rates sync committed; `changed` lists the items it created or moved.',
    subjects: [ITEMS_SUBJECT],
    payload: RatesSyncedDto,
  },
  'job.started': {
    summary:
      'A background job started: on products.updates for products.* jobs, else items.updates.',
    subjects: JOB_SUBJECTS,
    payload: JobEventDto,
  },
  'job.finished': {
    summary: 'A background job ended (state succeeded, partially_failed or failed).',
    subjects: JOB_SUBJECTS,
    payload: JobEventDto,
  },
};

/** The payload DTOs, for Swagger's `extraModels`: their schemas feed the AsyncAPI document. */
export const EVENT_PAYLOAD_MODELS: Type<unknown>[] = [
  ...new Set(Object.values(EVENT_CATALOG).map((entry) => entry.payload)),
];
