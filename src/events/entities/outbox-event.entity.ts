import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/bigint-number';

/** The rows the relay has still to publish: a sliver of the stream, kept in a partial index. */
export const OUTBOX_PENDING = 'sent_at IS NULL AND failed_at IS NULL';
/** The rows NATS refused, set aside: a partial index too. */
export const OUTBOX_SET_ASIDE = 'failed_at IS NOT NULL';

/**
 * One event of the stream, written in the same transaction as its change: the relay publishes
 * it (`sentAt`), the feed and resuming clients read it until retention deletes it.
 */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_seq', ['seq'], { unique: true })
@Index('IDX_outbox_pending', ['seq'], { where: OUTBOX_PENDING })
@Index('IDX_outbox_set_aside', ['seq'], { where: OUTBOX_SET_ASIDE })
@Index('IDX_outbox_created_at', ['createdAt'])
export class OutboxEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The event's position in the stream: gap-free, in commit order. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  subject!: string;

  /** The envelope JSON, exactly as published. */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt!: Date | null;

  /** Set when NATS refused the row for good: it is kept, and the relay goes on without it. */
  @Column({ name: 'failed_at', type: Date, nullable: true })
  failedAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  failure!: string | null;
}
