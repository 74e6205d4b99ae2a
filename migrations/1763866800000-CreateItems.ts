import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from './column-types';

export class CreateItems1763866800000 implements MigrationInterface {
  name = 'CreateItems1763866800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const id = {
      name: 'id',
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    };
    await queryRunner.createTable(
      new Table({
        name: 'items',
        columns: [
          id,
          { name: 'code', type: 'varchar', length: '10' },
          { name: 'base', type: 'varchar', length: '10' },
          { name: 'rate', type: 'double precision' },
          { name: 'source', type: 'varchar', length: '10' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createIndex(
      'items',
      new TableIndex({ name: 'UQ_items_base_code', columnNames: ['base', 'code'], isUnique: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'item_history',
        columns: [
          id,
          { name: 'item_id', type: 'integer' },
          { name: 'rate', type: 'double precision' },
          { name: 'source', type: 'varchar', length: '10' },
          { name: 'recorded_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createIndex(
      'item_history',
      new TableIndex({
        name: 'IDX_item_history_item_recorded',
        columnNames: ['item_id', 'recorded_at', 'id'],
      }),
    );
    await queryRunner.createForeignKey(
      'item_history',
      new TableForeignKey({
        name: 'FK_item_history_item',
        columnNames: ['item_id'],
        referencedTableName: 'items',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('item_history');
    await queryRunner.dropTable('items');
  }
}
