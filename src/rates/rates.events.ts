import { DomainEvent, defineEvents, ITEMS_SUBJECT, PayloadsOf } from '../events/domain-events';
import { ItemDto } from './dto/item.dto';
import { RatesSyncedDto } from './dto/rates-synced.dto';

/** Items per `rates.synced`: a sync that moves more is told in parts, each envelope far below 256 KiB. */
export const RATES_SYNCED_PART_SIZE = 500;

/** The rates sync's event: one per source of a committed sync, in parts when it moved many items. */
export const RATES_EVENTS = defineEvents({
  'rates.synced': {
    summary:
      'A rates sync committed, one event per source it read (`source`); `changed` lists the items that source created or moved (at most 500: more are told in `parts` events).',
    subject: ITEMS_SUBJECT,
    payload: RatesSyncedDto,
  },
});

declare module '../events/domain-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map takes its types from the definitions
  interface DomainEventMap extends PayloadsOf<typeof RATES_EVENTS> {}
}

/** The events of one source in a committed sync: one, or `parts` of at most RATES_SYNCED_PART_SIZE items. */
export function ratesSyncedEvents(
  jobId: string,
  source: string,
  changed: ItemDto[],
): DomainEvent[] {
  const parts = Math.max(1, Math.ceil(changed.length / RATES_SYNCED_PART_SIZE));
  return Array.from({ length: parts }, (_, index) => ({
    event: 'rates.synced' as const,
    payload: {
      job_id: jobId,
      source,
      changed: changed.slice(index * RATES_SYNCED_PART_SIZE, (index + 1) * RATES_SYNCED_PART_SIZE),
      ...(parts > 1 ? { part: index + 1, parts } : {}),
    },
  }));
}
