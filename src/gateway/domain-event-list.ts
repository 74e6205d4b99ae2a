import { DomainEventName, EventDefinitions } from '../events/domain-events';
import { JOB_EVENTS } from '../jobs/job.events';
import { PRODUCT_EVENTS } from '../products/product.events';
import { ITEM_EVENTS } from '../rates/item.events';
import { RATES_EVENTS } from '../rates/rates.events';

/**
 * Every domain event of the service, gathered from the features that declare them. Typed by the
 * whole event map, so a feature's events left out of this list do not compile.
 */
export const DOMAIN_EVENTS: EventDefinitions = {
  ...PRODUCT_EVENTS,
  ...ITEM_EVENTS,
  ...RATES_EVENTS,
  ...JOB_EVENTS,
};

export const DOMAIN_EVENT_NAMES = Object.keys(DOMAIN_EVENTS) as DomainEventName[];
