import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for retention: the prune finds rate history points and ended jobs by age, and without
 * these it would scan the whole table (item_history's index leads with item_id) every time.
 */
export class RetentionIndexes1764633600000 implements MigrationInterface {
  name = 'RetentionIndexes1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'item_history',
      new TableIndex({ name: 'IDX_item_history_recorded_at', columnNames: ['recorded_at'] }),
    );
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_finished_at', columnNames: ['finished_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'IDX_jobs_finished_at');
    await queryRunner.dropIndex('item_history', 'IDX_item_history_recorded_at');
  }
}
