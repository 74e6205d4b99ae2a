import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event written in the same transaction as its change, waiting for the relay to publish it. */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_sent_at_id', ['sentAt', 'id'])
export class OutboxEvent {
  /** Commit order on SQLite, insertion order on PostgreSQL: the relay publishes by id. */
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  subject!: string;

  /** The envelope JSON, exactly as published. */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt!: Date | null;
}
