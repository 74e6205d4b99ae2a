import { DomainError, ErrorCode } from '../../common/domain-error';
import { EventStore, StoredEvent, StreamPosition } from '../../events/store/event-store';
import { OrderedEventStream } from '../../events/stream/ordered-event-stream';
import { contiguousAfter, EventFeedService } from './event-feed.service';

const row = (seq: number): StoredEvent => ({ seq, subject: 's', envelope: `{"seq":${seq}}` });

function feedOver(reads: StoredEvent[][], position: StreamPosition) {
  const calls: string[] = [];
  const store = {
    readAfter: (after: number) => {
      calls.push(`read ${after}`);
      return Promise.resolve(reads.shift() ?? []);
    },
    position: () => {
      calls.push('position');
      return Promise.resolve(position);
    },
  } as unknown as EventStore;
  const stream = { epoch: 'e1' } as OrderedEventStream;
  return { feed: new EventFeedService(store, stream), calls };
}

const goneWith = async (promise: Promise<unknown>): Promise<unknown> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(ErrorCode.NoLongerRetained);
  return (error as DomainError).details?.earliest_seq;
};

describe('EventFeedService', () => {
  it('keeps the run of rows that follows the position with nothing missing', () => {
    expect(contiguousAfter(3, [row(4), row(5), row(7)]).map((r) => r.seq)).toEqual([4, 5]);
    expect(contiguousAfter(3, [row(5)])).toEqual([]);
    expect(contiguousAfter(3, [])).toEqual([]);
  });

  it('answers a page that follows the position with one read, as stored', async () => {
    const { feed, calls } = feedOver([[row(4), row(5)]], { epoch: 'e1', seq: 5, earliestSeq: 1 });
    expect(await feed.page(3, 100)).toEqual({ epoch: 'e1', envelopes: ['{"seq":4}', '{"seq":5}'] });
    expect(calls).toEqual(['read 3']);
  });

  it('does not take a commit landing between its reads for a pruned position', async () => {
    // the first read saw nothing after 5; then 6 committed; the position read first has it
    const { feed } = feedOver([[], [row(6)]], { epoch: 'e1', seq: 6, earliestSeq: 1 });
    expect((await feed.page(5, 100)).envelopes).toEqual(['{"seq":6}']);
  });

  it('answers [] at the latest position, 410 behind a hole', async () => {
    expect(
      (await feedOver([], { epoch: 'e1', seq: 5, earliestSeq: 1 }).feed.page(5, 10)).envelopes,
    ).toEqual([]);
    expect(
      await goneWith(
        feedOver([[row(9)], [row(9)]], { epoch: 'e1', seq: 9, earliestSeq: 9 }).feed.page(2, 10),
      ),
    ).toBe(9);
    // a row kept below the hole (set aside, never pruned) does not hide it
    expect(
      await goneWith(
        feedOver([[row(9)], [row(9)]], { epoch: 'e1', seq: 9, earliestSeq: 1 }).feed.page(2, 10),
      ),
    ).toBe(9);
    expect(
      await goneWith(feedOver([], { epoch: 'e1', seq: 9, earliestSeq: 1 }).feed.page(5, 10)),
    ).toBe(10);
  });
});
