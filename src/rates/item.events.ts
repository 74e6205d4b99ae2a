import { defineEvents, ITEMS_SUBJECT, PayloadsOf } from '../events/domain-events';
import { ItemDto } from './dto/item.dto';

/** Currency rates' own events: each carries the item as `GET /items/{id}` shows it. */
export const ITEM_EVENTS = defineEvents({
  'item.created': {
    summary: 'A currency rate was created over REST.',
    subject: ITEMS_SUBJECT,
    payload: ItemDto,
  },
  'item.updated': {
    summary: 'A currency rate was changed over REST (PATCH).',
    subject: ITEMS_SUBJECT,
    payload: ItemDto,
  },
  'item.deleted': {
    summary: 'A currency rate was deleted; the payload is the deleted record.',
    subject: ITEMS_SUBJECT,
    payload: ItemDto,
  },
});

declare module '../events/domain-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map takes its types from the definitions
  interface DomainEventMap extends PayloadsOf<typeof ITEM_EVENTS> {}
}
