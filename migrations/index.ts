import { CreateProducts1763859600000 } from './1763859600000-CreateProducts';
import { CreateJobs1763863200000 } from './1763863200000-CreateJobs';
import { CreateItems1763866800000 } from './1763866800000-CreateItems';
import { CreateOutbox1763870400000 } from './1763870400000-CreateOutbox';
import { CreateLeases1763874000000 } from './1763874000000-CreateLeases';
import { EventPositions1764547200000 } from './1764547200000-EventPositions';
import { RetentionIndexes1764633600000 } from './1764633600000-RetentionIndexes';
import { HourlyRollup1764720000000 } from './1764720000000-HourlyRollup';
import { OutboxPendingIndexes1764892800000 } from './1764892800000-OutboxPendingIndexes';

/** Every migration in order. `npm run migration:generate` writes a file here: add its class below. */
export const migrations = [
  CreateProducts1763859600000,
  CreateJobs1763863200000,
  CreateItems1763866800000,
  CreateOutbox1763870400000,
  CreateLeases1763874000000,
  EventPositions1764547200000,
  RetentionIndexes1764633600000,
  HourlyRollup1764720000000,
  OutboxPendingIndexes1764892800000,
];
