import { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import { SqlDialect } from '../database/sql-dialect';
import { Transaction, transactionOf } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { defineEvents } from './domain-events';
import { DomainEvents } from './domain-events.service';
import { DomainEventRegistry } from './event-catalog';

class Dto {
  kind!: string;
}

/** A transaction that records the SQL it is given and runs its commit hooks on demand. */
function fakeTransaction() {
  const queries: { sql: string; params: unknown[] }[] = [];
  const hooks: (() => void)[] = [];
  const manager = {
    query: (sql: string, params: unknown[]) => Promise.resolve(void queries.push({ sql, params })),
  };
  const tx: Transaction = transactionOf(manager as never);
  const transactions = {
    afterCommit: (_tx: Transaction, hook: () => void) => hooks.push(hook),
  } as unknown as TransactionRunner;
  return { tx, queries, transactions, commit: () => hooks.forEach((hook) => hook()) };
}

describe('DomainEvents (the outbox writer)', () => {
  const registry = new DomainEventRegistry();
  // real names with a stand-in payload: the typed map is the service's own
  const definitions = defineEvents({
    'product.created': { summary: 's', payload: Dto, subject: 'products.updates' },
    'job.started': {
      summary: 's',
      payload: Dto,
      subject: { oneOf: ['a', 'b'], pick: (job) => (job.kind === 'x' ? 'a' : 'b') },
    },
  });
  registry.register(definitions as never);
  const setup = (engine: 'sqlite' | 'postgres') => {
    const fake = fakeTransaction();
    const events = new DomainEvents(fake.transactions, new SqlDialect({ type: engine }), registry, {
      instanceId: 'me',
    } as ConfigType<typeof appConfig>);
    return { ...fake, events };
  };

  it('writes one event as one row: subject, envelope and creation time', async () => {
    const { tx, queries, events } = setup('postgres');
    const envelope = await events.record(tx, 'product.created', { id: 1 } as never);
    expect(envelope).toEqual({
      id: expect.any(String),
      event: 'product.created',
      payload: { id: 1 },
      ts: expect.any(String),
      origin: 'me',
    });
    expect(queries).toEqual([
      {
        sql: 'INSERT INTO outbox (subject, envelope, created_at) VALUES ($1, $2, $3)',
        params: ['products.updates', JSON.stringify(envelope), new Date(envelope.ts)],
      },
    ]);
  });

  it('writes several events in one statement, each on the subject its definition picks', async () => {
    const { tx, queries, events } = setup('sqlite');
    await events.recordMany(tx, [
      { event: 'job.started', payload: { kind: 'x' } as never },
      { event: 'job.started', payload: { kind: 'y' } as never },
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0].sql).toBe(
      'INSERT INTO outbox (subject, envelope, created_at) VALUES (?, ?, ?), (?, ?, ?)',
    );
    expect([queries[0].params[0], queries[0].params[3]]).toEqual(['a', 'b']);
    await events.recordMany(tx, []);
    expect(queries).toHaveLength(1);
  });

  it('tells listeners only once the transaction has committed, in order', async () => {
    const { tx, events, commit } = setup('sqlite');
    const heard: string[] = [];
    events.onCommitted((e) => heard.push(`${e.event}:${(e.payload as { kind: string }).kind}`));
    await events.record(tx, 'job.started', { kind: 'x' } as never);
    await events.recordMany(tx, [{ event: 'job.started', payload: { kind: 'y' } as never }]);
    expect(heard).toEqual([]);
    commit();
    expect(heard).toEqual(['job.started:x', 'job.started:y']);
  });

  it('refuses an event nobody defined', async () => {
    const { tx, events } = setup('sqlite');
    await expect(events.record(tx, 'item.created', {} as never)).rejects.toThrow(
      /no definition of the event item.created/,
    );
  });
});
