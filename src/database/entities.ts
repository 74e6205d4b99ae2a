import { OutboxEvent } from '../events/entities/outbox-event.entity';
import { Job } from '../jobs/entities/job.entity';
import { Lease } from '../leases/entities/lease.entity';
import { Product } from '../products/entities/product.entity';
import { Item } from '../rates/entities/item.entity';
import { RateHistory } from '../rates/entities/rate-history.entity';

/** Every TypeORM entity, listed once for ormconfig.ts (explicit classes work under ts-node, jest and dist alike). */
export const entities = [Product, Job, Item, RateHistory, OutboxEvent, Lease];
