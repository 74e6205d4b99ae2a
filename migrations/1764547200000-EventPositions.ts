import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { timestampType } from './column-types';

/**
 * Event positions: the outbox becomes the event store. Every row gets its `seq` (the rows already
 * there are numbered in id order), the `event_stream` row holds the stream's epoch and its last
 * position, and a row NATS refused can be set aside with its reason.
 */
export class EventPositions1764547200000 implements MigrationInterface {
  name = 'EventPositions1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'event_stream',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'epoch', type: 'varchar', length: '36' },
          { name: 'last_seq', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.addColumns('outbox', [
      new TableColumn({ name: 'seq', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'failed_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'failure', type: 'varchar', length: '500', isNullable: true }),
    ]);
    const rows = (await queryRunner.query('SELECT id, envelope FROM outbox ORDER BY id')) as {
      id: number;
      envelope: string;
    }[];
    for (const [index, row] of rows.entries()) {
      // the stored envelope carries its position too, as every envelope does from now on
      const { id, ...rest } = JSON.parse(row.envelope) as Record<string, unknown>;
      const envelope = JSON.stringify({ id, seq: index + 1, ...rest });
      await queryRunner.query(
        `UPDATE outbox SET seq = ${index + 1}, envelope = ${queryRunner.connection.driver.createParameter('envelope', 0)} WHERE id = ${row.id}`,
        [envelope],
      );
    }
    await queryRunner.query(
      `INSERT INTO event_stream (id, epoch, last_seq) VALUES (1, '${randomUUID()}', ${rows.length})`,
    );
    await queryRunner.changeColumn(
      'outbox',
      'seq',
      new TableColumn({ name: 'seq', type: 'bigint', isNullable: false }),
    );
    await queryRunner.dropIndex('outbox', 'IDX_outbox_sent_at_id');
    await queryRunner.createIndices('outbox', [
      new TableIndex({ name: 'IDX_outbox_seq', columnNames: ['seq'], isUnique: true }),
      new TableIndex({ name: 'IDX_outbox_sent_at_seq', columnNames: ['sent_at', 'seq'] }),
      new TableIndex({ name: 'IDX_outbox_created_at', columnNames: ['created_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'IDX_outbox_created_at');
    await queryRunner.dropIndex('outbox', 'IDX_outbox_sent_at_seq');
    await queryRunner.dropIndex('outbox', 'IDX_outbox_seq');
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'IDX_outbox_sent_at_id', columnNames: ['sent_at', 'id'] }),
    );
    await queryRunner.dropColumns('outbox', ['seq', 'failed_at', 'failure']);
    await queryRunner.dropTable('event_stream');
  }
}
