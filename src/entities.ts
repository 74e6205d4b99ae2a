import { EventStreamRow } from './events/entities/event-stream.entity';
import { OutboxEvent } from './events/entities/outbox-event.entity';
import { Job } from './jobs/entities/job.entity';
import { Lease } from './leases/entities/lease.entity';
import { Product } from './products/entities/product.entity';
import { Item } from './rates/entities/item.entity';
import { RateHistory } from './rates/entities/rate-history.entity';

/**
 * Every TypeORM entity, for the migration CLI (ormconfig.ts) and tests that open their own
 * DataSource; the app's modules register theirs through TypeOrmModule.forFeature.
 */
export const entities = [Product, Job, Item, RateHistory, OutboxEvent, EventStreamRow, Lease];
