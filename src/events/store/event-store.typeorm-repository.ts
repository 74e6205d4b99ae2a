import { Injectable } from '@nestjs/common';
import { ReadConnection } from '../../database/read-connection';
import { SqlDialect } from '../../database/sql-dialect';
import { hotQuery, managerOf, Transaction } from '../../database/transaction';
import { TransactionRunner } from '../../database/transaction-runner';
import { OUTBOX_PENDING, OUTBOX_SET_ASIDE } from '../entities/outbox-event.entity';
import { EventStore, StoredEvent, StreamPosition, UnnumberedEvent } from './event-store';

/** Rows per INSERT: far below either engine's limit on bound parameters. */
const INSERT_CHUNK = 500;

/** Up to this many rows (a group's events, usually) the INSERT is prepared once per row count. */
const HOT_ROWS = 64;

interface StoredRow {
  seq: number | string;
  subject: string;
  envelope: string;
}

const stored = (row: StoredRow): StoredEvent => ({
  seq: Number(row.seq),
  subject: row.subject,
  envelope: row.envelope,
});

const streamRowMissing = () =>
  new Error('the event_stream row is missing: the migrations did not run');

@Injectable()
export class EventStoreTypeormRepository extends EventStore {
  private readonly takeSql: string;
  private readonly numberedInsertSql: string;
  private readonly retireSql: string;

  constructor(
    private readonly reads: ReadConnection,
    private readonly transactions: TransactionRunner,
    private readonly sql: SqlDialect,
  ) {
    super();
    const bump = `UPDATE event_stream SET last_seq = last_seq + ${sql.param(1)} WHERE id = 1`;
    // SQLite: the positions, then the rows (writes are serialized there anyway)
    this.takeSql = `${bump} RETURNING last_seq`;
    // PostgreSQL: positions and rows in one statement, so the row lock every writer queues on is
    // held for that statement and the COMMIT, not also for a round trip between them
    this.numberedInsertSql = `WITH taken AS (${bump} RETURNING last_seq - $1 AS base)
      INSERT INTO outbox (seq, subject, envelope, created_at)
      SELECT taken.base + e.ord, e.subject, e.head || (taken.base + e.ord)::text || e.tail, $5::timestamp
      FROM taken CROSS JOIN unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(subject, head, tail, ord)
      RETURNING seq`;
    const pending = `SELECT seq FROM outbox WHERE ${OUTBOX_PENDING} ORDER BY seq LIMIT ${sql.param(2)}`;
    const retire = `UPDATE outbox SET sent_at = ${sql.param(1)} WHERE seq IN (${pending}) RETURNING seq`;
    this.retireSql = sql.postgres
      ? `WITH retired AS (${retire}) SELECT MAX(seq) AS seq FROM retired`
      : retire;
  }

  async appendNumbered(
    tx: Transaction,
    events: UnnumberedEvent[],
    createdAt: Date,
  ): Promise<number> {
    if (this.sql.postgres) {
      return this.insertNumbered(tx, events, createdAt);
    }
    const first = await this.takePositions(tx, events.length);
    await this.append(
      tx,
      events.map((e, i) => ({
        seq: first + i,
        subject: e.subject,
        envelope: e.head + (first + i) + e.tail,
      })),
      createdAt,
    );
    return first;
  }

  private async insertNumbered(
    tx: Transaction,
    events: UnnumberedEvent[],
    createdAt: Date,
  ): Promise<number> {
    let first: number | undefined;
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const chunk = events.slice(start, start + INSERT_CHUNK);
      const rows = await hotQuery<{ seq: number | string }>(tx, this.numberedInsertSql, [
        chunk.length,
        chunk.map((e) => e.subject),
        chunk.map((e) => e.head),
        chunk.map((e) => e.tail),
        this.sql.timestamp(createdAt),
      ]);
      if (rows.length !== chunk.length) {
        throw streamRowMissing();
      }
      first ??= Math.min(...rows.map((row) => Number(row.seq)));
    }
    return first ?? 0;
  }

  private async takePositions(tx: Transaction, count: number): Promise<number> {
    const rows = await hotQuery<{ last_seq: number | string }>(tx, this.takeSql, [count]);
    if (rows.length === 0) {
      throw streamRowMissing();
    }
    return Number(rows[0].last_seq) - count + 1;
  }

  private async append(tx: Transaction, events: StoredEvent[], createdAt: Date): Promise<void> {
    const at = this.sql.timestamp(createdAt);
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const chunk = events.slice(start, start + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const e of chunk) {
        params.push(e.seq, e.subject, e.envelope, at);
      }
      const sql = `INSERT INTO outbox (seq, subject, envelope, created_at) VALUES ${this.sql.valueRows(chunk.length, 4)}`;
      // a group's rows (one per POST): at most HOT_ROWS texts, each prepared once on SQLite
      await (chunk.length <= HOT_ROWS
        ? hotQuery(tx, sql, params)
        : managerOf(tx).query(sql, params));
    }
  }

  async position(): Promise<StreamPosition> {
    const rows: { epoch: string; last_seq: number | string; earliest: number | string | null }[] =
      await this.reads.query(
        'SELECT s.epoch, s.last_seq, (SELECT MIN(seq) FROM outbox) AS earliest FROM event_stream s WHERE s.id = 1',
      );
    const seq = Number(rows[0].last_seq);
    return {
      epoch: rows[0].epoch,
      seq,
      earliestSeq: rows[0].earliest === null ? seq + 1 : Number(rows[0].earliest),
    };
  }

  async readAfter(after: number, limit: number): Promise<StoredEvent[]> {
    const rows: StoredRow[] = await this.reads.query(
      `SELECT seq, subject, envelope FROM outbox WHERE seq > ${this.sql.param(1)} ORDER BY seq LIMIT ${this.sql.param(2)}`,
      [after, limit],
    );
    return rows.map(stored);
  }

  async unpublished(limit: number): Promise<StoredEvent[]> {
    const rows: StoredRow[] = await this.reads.query(
      `SELECT seq, subject, envelope FROM outbox WHERE ${OUTBOX_PENDING} ORDER BY seq LIMIT ${this.sql.param(1)}`,
      [limit],
    );
    return rows.map(stored);
  }

  async countUnpublished(): Promise<number> {
    return this.count(OUTBOX_PENDING);
  }

  async countSetAside(): Promise<number> {
    return this.count(OUTBOX_SET_ASIDE);
  }

  async markPublished(seqs: number[], at: Date): Promise<void> {
    if (seqs.length === 0) {
      return;
    }
    await this.write(
      `UPDATE outbox SET sent_at = ${this.sql.param(1)} WHERE seq IN (${this.sql.list(seqs.length, 2)})`,
      [this.sql.timestamp(at), ...seqs],
    );
  }

  async retirePending(at: Date, limit: number): Promise<number | undefined> {
    const rows = await this.transactions.run((tx) =>
      hotQuery<{ seq: number | string | null }>(tx, this.retireSql, [
        this.sql.timestamp(at),
        limit,
      ]),
    );
    const top = rows.reduce((max, row) => Math.max(max, Number(row.seq ?? 0)), 0);
    return top > 0 ? top : undefined;
  }

  async setAside(seq: number, reason: string, at: Date): Promise<void> {
    await this.write(
      `UPDATE outbox SET failed_at = ${this.sql.param(1)}, failure = ${this.sql.param(2)} WHERE seq = ${this.sql.param(3)}`,
      [this.sql.timestamp(at), reason.slice(0, 500), seq],
    );
  }

  async prune(before: Date, keep: number): Promise<void> {
    // a set-aside row is kept for inspection as long as a published one, no longer
    const published = '(sent_at IS NOT NULL OR failed_at IS NOT NULL)';
    await this.write(
      `DELETE FROM outbox WHERE ${published} AND created_at < ${this.sql.param(1)}`,
      [this.sql.timestamp(before)],
    );
    await this.write(
      `DELETE FROM outbox WHERE ${published} AND seq <= (SELECT last_seq FROM event_stream WHERE id = 1) - ${this.sql.param(1)}`,
      [keep],
    );
  }

  private async count(where: string): Promise<number> {
    const rows: { n: number | string }[] = await this.reads.query(
      `SELECT COUNT(*) AS n FROM outbox WHERE ${where}`,
    );
    return Number(rows[0].n);
  }

  /** Through the write queue: on SQLite a statement beside an open transaction would join it. */
  private async write(sql: string, params: unknown[]): Promise<void> {
    await this.transactions.run((tx) => managerOf(tx).query(sql, params));
  }
}
