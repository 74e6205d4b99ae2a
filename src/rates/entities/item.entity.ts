import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const RATE_SOURCES = ['manual', 'fiat', 'crypto', 'mock', 'ecb'] as const;
export type RateSource = (typeof RATE_SOURCES)[number];

/** A currency rate: 1 `base` = `rate` `code`... as the source quotes it. */
@Entity({ name: 'items' })
@Index('UQ_items_base_code', ['base', 'code'], { unique: true })
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 10 })
  base!: string;

  @Column({ type: 'double precision' })
  rate!: number;

  @Column({ type: 'varchar', length: 10 })
  source!: RateSource;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
