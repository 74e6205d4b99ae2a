import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { timestampType } from './column-types';

export class CreateProducts1763859600000 implements MigrationInterface {
  name = 'CreateProducts1763859600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'description', type: 'text', default: "''" },
          { name: 'price', type: 'double precision' },
          { name: 'external_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createIndex(
      'products',
      new TableIndex({
        name: 'UQ_products_external_id',
        columnNames: ['external_id'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('products');
  }
}
