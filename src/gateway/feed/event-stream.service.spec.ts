import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { EventEnvelope } from '../../events/domain-events';
import { EventStore, StoredEvent, StreamPosition } from '../../events/store/event-store';
import { OrderedEventStream } from '../../events/stream/ordered-event-stream';
import { EventStreamService } from './event-stream.service';
import { EventStreamOptions } from './sse-connection';

const envelope = (seq: number, event = 'item.updated'): EventEnvelope =>
  ({ id: `id-${seq}`, seq, event, payload: {}, ts: 't', origin: 'o' }) as unknown as EventEnvelope;
const stored = (seq: number, event?: string): StoredEvent => ({
  seq,
  subject: 'items.updates',
  envelope: JSON.stringify(envelope(seq, event)),
});

/** A Node response as far as the stream uses it; `writeOk` false makes the socket "full". */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  status = 0;
  headers: Record<string, string> = {};
  writeOk = true;
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return this.writeOk;
  }
  end = () => (this.writableEnded = true);
  destroy = () => (this.destroyed = true);
  /** The positions of the events written, in order (resync included). */
  get ids(): number[] {
    return [...this.chunks.join('').matchAll(/^id: (\d+)\nevent:/gm)].map((m) => Number(m[1]));
  }
  get names(): string[] {
    return [...this.chunks.join('').matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
  }
}

/** An ordered stream whose live events the test emits; a store over a list of rows. */
function setup(rows: StoredEvent[], position: Partial<StreamPosition> = {}) {
  const live = new EventEmitter();
  const stream = {
    position: rows.length,
    epoch: 'e',
    onEvent: (listener: (e: EventEnvelope) => void) => {
      live.on('event', listener);
      return () => live.off('event', listener);
    },
  } as unknown as OrderedEventStream;
  const reads: number[] = [];
  const hooks = { beforeRead: (_after: number): void => undefined };
  const store = {
    position: () => Promise.resolve({ epoch: 'e', seq: rows.length, earliestSeq: 1, ...position }),
    readAfter: (after: number, limit: number) => {
      reads.push(after);
      hooks.beforeRead(after);
      return Promise.resolve(rows.filter((r) => r.seq > after).slice(0, limit));
    },
  } as unknown as EventStore;
  const options = Object.assign(new EventStreamOptions(), { replayPage: 10 });
  const service = new EventStreamService(store, stream, options);
  /** Commits an event: into the store, then to live listeners. */
  const commit = (event?: string) => {
    const seq = rows.length + 1;
    rows.push(stored(seq, event));
    live.emit('event', envelope(seq, event));
  };
  return { service, live, reads, hooks, options, commit, top: () => rows.length };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const seed = (n: number) => Array.from({ length: n }, (_, i) => stored(i + 1));

describe('EventStreamService', () => {
  it('opens with the stream headers, before any event', async () => {
    const { service } = setup(seed(0));
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, { patterns: null });
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      'X-Stream-Epoch': 'e',
    });
  });

  it('sends nothing twice and skips nothing when events commit during the replay', async () => {
    const { service, hooks, commit, top } = setup(seed(25));
    // while each page is read, two more commit: they reach the store and the live listeners
    hooks.beforeRead = () => (commit(), commit());
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, { after: 3, patterns: null });
    for (let i = 0; i < 10; i++) {
      await settle();
    }
    hooks.beforeRead = () => undefined;
    commit();
    expect(top()).toBe(32);
    expect(res.ids).toEqual(Array.from({ length: top() - 3 }, (_, i) => i + 4));
  });

  it('reads from the store again when more live events came than it holds', async () => {
    const { service, hooks, commit, options, reads } = setup(seed(5));
    options.maxHeld = 3;
    hooks.beforeRead = (after) => {
      if (after === 0) {
        for (let i = 0; i < 8; i++) {
          commit();
        }
      }
    };
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, { after: 0, patterns: null });
    for (let i = 0; i < 10; i++) {
      await settle();
    }
    expect(res.ids).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    // the third read is the pass over what the dropped held events had
    expect(reads).toEqual([0, 10, 13]);
  });

  it('waits for the socket to drain before reading the next page', async () => {
    const { service, reads } = setup(seed(25));
    const res = new FakeResponse();
    res.writeOk = false;
    await service.follow(res as unknown as ServerResponse, { after: 0, patterns: null });
    await settle();
    expect(reads).toEqual([0]);
    res.writeOk = true;
    res.emit('drain');
    for (let i = 0; i < 5; i++) {
      await settle();
    }
    expect(reads).toEqual([0, 10, 20]);
    expect(res.ids).toHaveLength(25);

    // a replay waiting for a drain that never comes ends with the stream
    const { service: other, reads: otherReads } = setup(seed(25));
    const stuck = new FakeResponse();
    stuck.writeOk = false;
    await other.follow(stuck as unknown as ServerResponse, { after: 0, patterns: null });
    await settle();
    other.beforeApplicationShutdown();
    await settle();
    expect(otherReads).toEqual([0]);
    expect(other.clientCount).toBe(0);
  });

  it('lets Last-Event-ID win over after, and filters replay and live alike', async () => {
    const rows = [
      stored(1, 'product.created'),
      stored(2, 'item.created'),
      stored(3, 'product.updated'),
    ];
    const { service, commit } = setup(rows);
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, {
      lastEventId: 1,
      after: 0,
      patterns: ['product.*'],
    });
    await settle();
    commit('item.updated');
    commit('product.deleted');
    expect(res.names).toEqual(['product.updated', 'product.deleted']);
    expect(res.ids).toEqual([3, 5]);
  });

  it('sends resync for a position older than retention, then follows live from the latest', async () => {
    const { service, commit } = setup(seed(9), { earliestSeq: 6 });
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, { after: 2, patterns: null });
    commit();
    expect(res.chunks[0]).toBe('id: 9\nevent: resync\ndata: {"earliest_seq":6,"seq":9}\n\n');
    expect(res.ids).toEqual([9, 10]);
  });

  it('stops listening when the client leaves, and cuts a client too slow to read', async () => {
    const { service, live, commit, options } = setup(seed(0));
    const gone = new FakeResponse();
    await service.follow(gone as unknown as ServerResponse, { patterns: null });
    expect(live.listenerCount('event')).toBe(1);
    gone.emit('close');
    expect(live.listenerCount('event')).toBe(0);
    expect(service.clientCount).toBe(0);

    const slow = new FakeResponse();
    await service.follow(slow as unknown as ServerResponse, { patterns: null });
    slow.writableLength = options.maxBufferedBytes + 1;
    commit();
    expect(slow.destroyed).toBe(true);
    expect(live.listenerCount('event')).toBe(0);
  });

  it('stops listening when the client leaves while its position is looked up', async () => {
    const { service, live } = setup(seed(3));
    const res = new FakeResponse();
    const opening = service.follow(res as unknown as ServerResponse, { after: 0, patterns: null });
    res.destroyed = true;
    res.emit('close');
    await opening;
    expect(live.listenerCount('event')).toBe(0);
    expect(service.clientCount).toBe(0);
    expect(res.chunks).toEqual([]);
  });

  it('writes nothing and stops listening when the store cannot be read', async () => {
    const { service, live } = setup(seed(0));
    (service as unknown as { store: EventStore }).store.position = () =>
      Promise.reject(new Error('database down'));
    const res = new FakeResponse();
    await expect(
      service.follow(res as unknown as ServerResponse, { after: 0, patterns: null }),
    ).rejects.toThrow('database down');
    expect(res.status).toBe(0);
    expect(live.listenerCount('event')).toBe(0);
  });

  it('ends every open stream at shutdown and opens no new one', async () => {
    const { service } = setup(seed(0));
    const res = new FakeResponse();
    await service.follow(res as unknown as ServerResponse, { patterns: null });
    service.beforeApplicationShutdown();
    expect(res.writableEnded).toBe(true);
    const refused = await service
      .follow(new FakeResponse() as unknown as ServerResponse, { patterns: null })
      .catch((e: unknown) => e);
    expect((refused as DomainError).code).toBe(ErrorCode.ShuttingDown);
  });
});
