import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Item, type RateSource } from './item.entity';

/** One past rate of an item, appended in the same transaction as the change. */
@Entity({ name: 'item_history' })
// newest-first reads of one item stay an index range scan however long the table grows
@Index('IDX_item_history_item_recorded', ['itemId', 'recordedAt', 'id'])
// retention deletes by age alone
@Index('IDX_item_history_recorded_at', ['recordedAt'])
export class RateHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  @Column({ type: 'double precision' })
  rate!: number;

  @Column({ type: 'varchar', length: 10 })
  source!: RateSource;

  @Column({ name: 'recorded_at' })
  recordedAt!: Date;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'FK_item_history_item' })
  item?: Item;
}
