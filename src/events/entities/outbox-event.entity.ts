import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/bigint-number';

/**
 * One event of the stream, written in the same transaction as its change: the relay publishes
 * it (`sentAt`), the feed and resuming clients read it until retention deletes it.
 */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_seq', ['seq'], { unique: true })
@Index('IDX_outbox_sent_at_seq', ['sentAt', 'seq'])
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
