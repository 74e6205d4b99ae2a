import { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import {
  gather,
  Transaction,
  transactionOf,
  runWork,
  writeGathered,
} from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { defineEvents, EventEnvelope } from './domain-events';
import { DomainEvents } from './domain-events.service';
import { DomainEventRegistry } from './event-catalog';
import { EventStore, StoredEvent, UnnumberedEvent } from './store/event-store';

class Dto {
  kind!: string;
}

/** A store that hands out positions from 41 on and keeps what it is given. */
function fakeStore() {
  let last = 40;
  const appended: StoredEvent[][] = [];
  const store = {
    appendNumbered: (_tx: Transaction, events: UnnumberedEvent[]) => {
      const first = last + 1;
      last += events.length;
      appended.push(
        events.map((e, i) => ({
          seq: first + i,
          subject: e.subject,
          envelope: e.head + (first + i) + e.tail,
        })),
      );
      return Promise.resolve(first);
    },
  } as unknown as EventStore;
  return { store, appended };
}

/**
 * A physical transaction whose end (its runs done, what they gathered written, then the commit
 * hooks) the test triggers.
 */
function fakeTransactions() {
  const committed: (() => void)[] = [];
  const transactions = {
    gather,
    afterCommit: (_tx: Transaction, hook: () => void) => committed.push(hook),
  } as unknown as TransactionRunner;
  const end = async (...runs: Transaction[]) => {
    for (const run of runs) {
      await runWork(run, () => Promise.resolve());
    }
    await writeGathered(runs[0]);
  };
  const commit = () => committed.splice(0).forEach((hook) => hook());
  return { transactions, end, commit };
}

describe('DomainEvents (the one writer of the event store)', () => {
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
  const setup = () => {
    const { store, appended } = fakeStore();
    const fake = fakeTransactions();
    const events = new DomainEvents(fake.transactions, store, registry, {
      instanceId: 'me',
    } as ConfigType<typeof appConfig>);
    return { ...fake, appended, events, tx: transactionOf({} as never) };
  };

  it('writes a transaction’s events once its work is done, with consecutive positions', async () => {
    const { tx, appended, events, end } = setup();
    await events.record(tx, 'product.created', { kind: 'p' } as never);
    await events.recordMany(tx, [
      { event: 'job.started', payload: { kind: 'x' } as never },
      { event: 'job.started', payload: { kind: 'y' } as never },
    ]);
    expect(appended).toEqual([]);
    await end(tx);
    expect(appended).toHaveLength(1);
    const rows = appended[0];
    expect(rows.map((r) => [r.seq, r.subject])).toEqual([
      [41, 'products.updates'],
      [42, 'a'],
      [43, 'b'],
    ]);
    const envelope = JSON.parse(rows[0].envelope) as EventEnvelope;
    expect(envelope).toEqual({
      id: expect.any(String),
      seq: 41,
      event: 'product.created',
      payload: { kind: 'p' },
      ts: expect.any(String),
      origin: 'me',
    });
  });

  it('writes the events of the runs sharing one physical transaction at once, in run order', async () => {
    const { tx, appended, events, end } = setup();
    const second = transactionOf({} as never, undefined, tx);
    await events.record(tx, 'job.started', { kind: 'x' } as never);
    await events.record(second, 'job.started', { kind: 'y' } as never);
    await events.record(tx, 'product.created', { kind: 'p' } as never);
    await end(tx, second);
    expect(appended).toHaveLength(1);
    expect(appended[0].map((r) => [r.seq, r.subject])).toEqual([
      [41, 'a'],
      [42, 'products.updates'],
      [43, 'b'],
    ]);
  });

  it('stores each envelope as the JSON of the one its listeners get, byte for byte', async () => {
    const { tx, appended, events, end, commit } = setup();
    const heard: EventEnvelope[] = [];
    events.onCommitted((e) => heard.push(e));
    await events.record(tx, 'product.created', { kind: 'p "quoted" \u2028' } as never);
    await events.record(tx, 'job.started', { kind: 'x' } as never);
    await end(tx);
    commit();
    expect(appended[0].map((r) => r.envelope)).toEqual(heard.map((e) => JSON.stringify(e)));
  });

  it('writes nothing for a transaction without events', async () => {
    const { tx, appended, events, end } = setup();
    await events.recordMany(tx, []);
    await end(tx);
    expect(appended).toEqual([]);
  });

  it('tells listeners only once the transaction has committed, in position order', async () => {
    const { tx, events, end, commit } = setup();
    const heard: string[] = [];
    events.onCommitted((e) => heard.push(`${e.seq}:${(e.payload as { kind: string }).kind}`));
    await events.record(tx, 'job.started', { kind: 'x' } as never);
    await events.recordMany(tx, [{ event: 'job.started', payload: { kind: 'y' } as never }]);
    await end(tx);
    expect(heard).toEqual([]);
    commit();
    expect(heard).toEqual(['41:x', '42:y']);
  });

  it('refuses an event nobody defined', async () => {
    const { tx, events } = setup();
    await expect(events.record(tx, 'item.created', {} as never)).rejects.toThrow(
      /no definition of the event item.created/,
    );
  });
});
