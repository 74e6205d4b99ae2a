import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/bigint-number';

/**
 * The one row naming the event stream: its epoch (made when the database was created) and the
 * last position handed out. Taking positions updates this row, so writers queue on its lock
 * only for the end of their transaction, and positions follow commit order with no gap.
 */
@Entity({ name: 'event_stream' })
export class EventStreamRow {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 36 })
  epoch!: string;

  @Column({ name: 'last_seq', type: 'bigint', transformer: bigintNumber })
  lastSeq!: number;
}
