import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from './column-types';

/**
 * The hourly OHLC rollup of the rate history: one row per item and UTC hour holding points, so
 * hour and day buckets read hours instead of every raw point. The rows of history already there
 * are rolled up here in one statement; the app keeps the table in step from then on.
 */
export class HourlyRollup1764720000000 implements MigrationInterface {
  name = 'HourlyRollup1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const rate = (name: string) => ({ name, type: 'double precision' });
    const PK = 'PK_item_history_hourly';
    await queryRunner.createTable(
      new Table({
        name: 'item_history_hourly',
        columns: [
          { name: 'item_id', type: 'integer', isPrimary: true, primaryKeyConstraintName: PK },
          { name: 'hour_start', type: timestamp, isPrimary: true, primaryKeyConstraintName: PK },
          rate('open'),
          { name: 'open_at', type: timestamp },
          { name: 'open_id', type: 'integer' },
          rate('high'),
          rate('low'),
          rate('close'),
          { name: 'close_at', type: timestamp },
          { name: 'close_id', type: 'integer' },
          { name: 'points', type: 'integer' },
        ],
        // in the one CREATE TABLE: SQLite adds a foreign key to a table by rebuilding it
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_item_history_hourly_item',
            columnNames: ['item_id'],
            referencedTableName: 'items',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        // retention drops the hours before its cutoff across all items
        indices: [
          new TableIndex({
            name: 'IDX_item_history_hourly_hour_start',
            columnNames: ['hour_start'],
          }),
        ],
      }),
    );
    // both engines store an hour's start as the app binds it: SQLite as `YYYY-MM-DD HH:00:00.000`
    const hour =
      queryRunner.connection.options.type === 'postgres'
        ? "date_trunc('hour', recorded_at)"
        : "strftime('%Y-%m-%d %H:00:00.000', recorded_at)";
    await queryRunner.query(
      `INSERT INTO item_history_hourly
         (item_id, hour_start, open, open_at, open_id, high, low, close, close_at, close_id, points)
       SELECT item_id, hour_start,
         MAX(CASE WHEN nth = 1 THEN rate END), MAX(CASE WHEN nth = 1 THEN recorded_at END),
         MAX(CASE WHEN nth = 1 THEN id END), MAX(rate), MIN(rate),
         MAX(CASE WHEN nth_last = 1 THEN rate END), MAX(CASE WHEN nth_last = 1 THEN recorded_at END),
         MAX(CASE WHEN nth_last = 1 THEN id END), COUNT(*)
       FROM (
         SELECT id, item_id, rate, recorded_at, ${hour} AS hour_start,
           ROW_NUMBER() OVER (PARTITION BY item_id, ${hour} ORDER BY recorded_at, id) AS nth,
           ROW_NUMBER() OVER (PARTITION BY item_id, ${hour} ORDER BY recorded_at DESC, id DESC) AS nth_last
         FROM item_history
       ) ranked
       GROUP BY item_id, hour_start`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('item_history_hourly');
  }
}
