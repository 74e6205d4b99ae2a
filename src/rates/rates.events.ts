import { defineEvents, ITEMS_SUBJECT, PayloadsOf } from '../events/domain-events';
import { RatesSyncedDto } from './dto/rates-synced.dto';

/** The rates sync's event: one per committed sync, however many items it moved. */
export const RATES_EVENTS = defineEvents({
  'rates.synced': {
    summary: 'A rates sync committed; `changed` lists the items it created or moved.',
    subject: ITEMS_SUBJECT,
    payload: RatesSyncedDto,
  },
});

declare module '../events/domain-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map takes its types from the definitions
  interface DomainEventMap extends PayloadsOf<typeof RATES_EVENTS> {}
}
