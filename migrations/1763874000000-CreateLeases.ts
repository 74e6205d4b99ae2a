import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { timestampType } from './column-types';

export class CreateLeases1763874000000 implements MigrationInterface {
  name = 'CreateLeases1763874000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'leases',
        columns: [
          { name: 'name', type: 'varchar', length: '128', isPrimary: true },
          { name: 'owner', type: 'varchar', length: '128' },
          { name: 'expires_at', type: timestampType(queryRunner) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leases');
  }
}
