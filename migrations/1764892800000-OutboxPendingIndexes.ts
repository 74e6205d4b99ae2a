import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const PENDING = 'sent_at IS NULL AND failed_at IS NULL';
const SET_ASIDE = 'failed_at IS NOT NULL';

/**
 * Partial indexes for the relay and the outbox metrics: the rows still to publish and the rows
 * set aside are a sliver of a retained stream, and without these every metrics scrape counted
 * the set-aside rows by reading the whole table (and the pending ones through a lookup per row).
 */
export class OutboxPendingIndexes1764892800000 implements MigrationInterface {
  name = 'OutboxPendingIndexes1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'IDX_outbox_pending', columnNames: ['seq'], where: PENDING }),
    );
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'IDX_outbox_set_aside', columnNames: ['seq'], where: SET_ASIDE }),
    );
    await queryRunner.dropIndex('outbox', 'IDX_outbox_sent_at_seq');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'IDX_outbox_sent_at_seq', columnNames: ['sent_at', 'seq'] }),
    );
    await queryRunner.dropIndex('outbox', 'IDX_outbox_set_aside');
    await queryRunner.dropIndex('outbox', 'IDX_outbox_pending');
  }
}
