import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { timestampType } from './column-types';

export class CreateJobs1763863200000 implements MigrationInterface {
  name = 'CreateJobs1763863200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const counter = (name: string) => ({ name, type: 'integer', default: 0 });
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '20' },
          ...['total', 'processed', 'created', 'updated', 'unchanged', 'not_found', 'failed'].map(
            counter,
          ),
          { name: 'errors', type: 'text', default: "'[]'" },
          { name: 'owner', type: 'varchar', length: '128' },
          { name: 'started_at', type: timestamp },
          { name: 'finished_at', type: timestamp, isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_kind_state', columnNames: ['kind', 'state'] }),
    );
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_started_at', columnNames: ['started_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('jobs');
  }
}
