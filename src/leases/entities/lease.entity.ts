import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A named right to do something alone across every instance on one database (run the scheduled
 * sync, run a job of a kind). It is held by `owner` until `expiresAt`; the holder renews it, and
 * once it expires — the holder crashed or stalled — another instance may take it.
 */
@Entity({ name: 'leases' })
export class Lease {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  name!: string;

  /** The holder's instance id (the `origin` of its events). */
  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  /** Written from the database's clock, so instances with skewed clocks agree. */
  @Column({ name: 'expires_at' })
  expiresAt!: Date;
}
