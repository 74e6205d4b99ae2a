import { DataSource } from 'typeorm';
import { SqlDialect } from '../../src/database/sql-dialect';
import { rollupRebuild } from '../../src/rates/history-rollup';

export interface Point {
  rate: number;
  at: Date;
}

/**
 * Writes an item's history with chosen times straight into the database (the API stamps every
 * point with "now"), binding timestamps as the app does on each engine, and rebuilds the item's
 * hourly rollup from it as the app's writes would have kept it.
 */
export function historyRows(dataSource: DataSource) {
  const postgres = dataSource.options.type === 'postgres';
  const ts = (date: Date) =>
    postgres ? date : date.toISOString().replace('T', ' ').replace('Z', '');
  const sql = (text: string) => (postgres ? text : text.replace(/\$(\d+)/g, '?$1'));
  return {
    /** Replaces the item's history with `points`; its rate becomes the latest one's. */
    async replace(itemId: number, points: Point[]): Promise<void> {
      await dataSource.query(sql('DELETE FROM item_history WHERE item_id = $1'), [itemId]);
      for (let i = 0; i < points.length; i += 500) {
        const chunk = points.slice(i, i + 500);
        const values = chunk.map((_, j) => `($1, $${2 * j + 2}, 'manual', $${2 * j + 3})`);
        await dataSource.query(
          sql(
            `INSERT INTO item_history (item_id, rate, source, recorded_at) VALUES ${values.join(', ')}`,
          ),
          [itemId, ...chunk.flatMap((p) => [p.rate, ts(p.at)])],
        );
      }
      const rebuild = rollupRebuild(new SqlDialect(dataSource.options), {
        itemId,
        from: new Date('1970-01-01T00:00:00.000Z'),
        to: new Date('9999-12-31T23:00:00.000Z'),
      });
      for (const statement of rebuild) {
        await dataSource.query(statement.text, statement.params);
      }
      const latest = points.reduce((a, b) => (b.at >= a.at ? b : a));
      await dataSource.query(sql('UPDATE items SET rate = $1, updated_at = $2 WHERE id = $3'), [
        latest.rate,
        ts(latest.at),
        itemId,
      ]);
    },
  };
}
