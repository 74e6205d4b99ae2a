import { EventEmitter } from 'node:events';
import { EventEnvelope } from '../domain-events';
import { DomainEvents } from '../domain-events.service';
import { EventStore, StoredEvent } from '../store/event-store';
import { OrderedEventStream } from './ordered-event-stream';

const envelope = (seq: number): EventEnvelope =>
  ({ id: `e${seq}`, seq, event: 'product.created', payload: {}, ts: '', origin: 'x' }) as never;

/** A store holding positions 1..last, of which `pruned` are gone. */
function fakeStore(last: number, pruned: number[] = []) {
  const reads: [number, number][] = [];
  const stored = (): StoredEvent[] =>
    Array.from({ length: last }, (_, i) => i + 1)
      .filter((seq) => !pruned.includes(seq))
      .map((seq) => ({ seq, subject: 's', envelope: JSON.stringify(envelope(seq)) }));
  const store = {
    position: () => Promise.resolve({ epoch: 'e1', seq: 0, earliestSeq: 1 }),
    readAfter: (after: number, limit: number) => {
      reads.push([after, limit]);
      return Promise.resolve(
        stored()
          .filter((e) => e.seq > after)
          .slice(0, limit),
      );
    },
  } as unknown as EventStore;
  return {
    store,
    reads,
    grow: (to: number) => {
      last = to;
    },
  };
}

async function started(store: EventStore) {
  const committed = new EventEmitter();
  const events = {
    onCommitted: (listener: (e: EventEnvelope) => void) => committed.on('c', listener),
  } as unknown as DomainEvents;
  const stream = new OrderedEventStream(events, store);
  await stream.onApplicationBootstrap();
  const seen: number[] = [];
  stream.onEvent((e) => seen.push(e.seq));
  return { stream, seen, commit: (seq: number) => committed.emit('c', envelope(seq)) };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('OrderedEventStream', () => {
  it('passes local commits on in order, holding a later one until the earlier arrives', async () => {
    const { store, reads } = fakeStore(0);
    const { seen, commit } = await started(store);
    commit(2);
    expect(seen).toEqual([]);
    commit(1);
    commit(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(reads).toEqual([]);
  });

  it('drops a repeat and an old position', async () => {
    const { store } = fakeStore(0);
    const { seen, commit } = await started(store);
    commit(1);
    commit(1);
    commit(2);
    commit(1);
    expect(seen).toEqual([1, 2]);
  });

  it('fills a gap below a held position from the store', async () => {
    const { store, grow } = fakeStore(0);
    const { seen, commit } = await started(store);
    grow(3);
    commit(3);
    await settle(() => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('reads what another instance committed up to a position heard of over NATS', async () => {
    const { store, grow } = fakeStore(0);
    const { stream, seen } = await started(store);
    grow(4);
    stream.heardOf(4);
    await settle(() => seen.length === 4);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(stream.position).toBe(4);
  });

  it('forgets a position the store does not have (a forged message) and goes on', async () => {
    const { store, grow, reads } = fakeStore(0);
    const { stream, seen, commit } = await started(store);
    stream.heardOf(1_000_000);
    await settle(() => reads.length > 0);
    expect(seen).toEqual([]);
    expect(reads).toEqual([[0, 1000]]);
    grow(1);
    commit(1);
    expect(seen).toEqual([1]);
  });

  it('skips positions no longer stored, with the later ones delivered', async () => {
    const { store, grow } = fakeStore(0, [1, 2]);
    const { seen, stream } = await started(store);
    grow(4);
    stream.heardOf(4);
    await settle(() => seen.length === 2);
    expect(seen).toEqual([3, 4]);
  });

  it('goes on past a listener that throws: the others, and the later positions, still arrive', async () => {
    const { store, grow } = fakeStore(0);
    const { stream, seen, commit } = await started(store);
    stream.onEvent((e) => {
      if (e.seq === 2) {
        throw new Error('listener bug');
      }
    });
    const after: number[] = [];
    stream.onEvent((e) => after.push(e.seq));
    commit(1);
    commit(2);
    grow(4);
    stream.heardOf(4);
    await settle(() => seen.length === 4);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(after).toEqual([1, 2, 3, 4]);
  });
});
