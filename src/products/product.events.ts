import { defineEvents, PayloadsOf, PRODUCTS_SUBJECT } from '../events/domain-events';
import { ProductDto } from './dto/product.dto';

/** Products' events: each carries the product as `GET /products/{id}` shows it. */
export const PRODUCT_EVENTS = defineEvents({
  'product.created': {
    summary: 'A product was created (POST /products, fetch_external, refresh_all).',
    subject: PRODUCTS_SUBJECT,
    payload: ProductDto,
  },
  'product.updated': {
    summary: 'A product changed (PUT, PATCH, fetch_external, refresh_all).',
    subject: PRODUCTS_SUBJECT,
    payload: ProductDto,
  },
  'product.deleted': {
    summary: 'A product was deleted; the payload is the deleted record.',
    subject: PRODUCTS_SUBJECT,
    payload: ProductDto,
  },
});

declare module '../events/domain-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map takes its types from the definitions
  interface DomainEventMap extends PayloadsOf<typeof PRODUCT_EVENTS> {}
}
