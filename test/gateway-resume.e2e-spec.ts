import { startTestApp, TestApp } from './helpers/test-app';
import { Frame, TestWsClient } from './helpers/ws-client';

const seqOf = (f: Frame) => f.seq as number;
const isEnvelope = (f: Frame) => typeof f.seq === 'number';

describe('WebSocket resume on /ws/items', () => {
  let t: TestApp;
  const clients: TestWsClient[] = [];
  let names = 0;

  const connect = async (query = '') => {
    const client = await TestWsClient.connect(t.baseUrl, {}, query);
    clients.push(client);
    return client;
  };
  const welcomeOf = (client: TestWsClient) =>
    client.frames[0].payload as { seq: number; epoch: string };
  const changeProducts = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await t.http
        .post('/products')
        .send({ name: `p${(names += 1)}`, price: 1 })
        .expect(201);
    }
  };
  /** Where a client that saw everything so far stands: connects once, reads welcome, leaves. */
  const currentPosition = async () => {
    const client = await connect();
    client.close();
    return welcomeOf(client);
  };
  /** The frames after the welcome up to and including `resumed`. */
  const untilResumed = async (client: TestWsClient) => {
    const resumed = await client.next((f) => f.event === 'resumed');
    return { replayed: client.frames.slice(1, client.frames.indexOf(resumed)), resumed };
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    await t.close();
  });

  it('welcome names the stream position and its epoch', async () => {
    await changeProducts(2);
    const { seq, epoch } = await currentPosition();
    expect(seq).toBe(2);
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('resume frame: the 50 changes made while away, in order, then resumed (recovered), then live', async () => {
    const { seq, epoch } = await currentPosition();
    await changeProducts(50);
    const client = await connect();
    client.send({ event: 'resume', data: { after: seq, epoch } });
    const { replayed, resumed } = await untilResumed(client);

    expect(replayed.map(seqOf)).toEqual(Array.from({ length: 50 }, (_, i) => seq + 1 + i));
    expect(replayed.every((f) => f.event === 'product.created')).toBe(true);
    expect(resumed.payload).toEqual({ after: seq, to: seq + 50, recovered: true });
    const from = client.frames.length;
    await changeProducts(1);
    const live = await client.next(isEnvelope, from);
    expect(seqOf(live)).toBe(seq + 51);
    expect(client.frames.slice(from).filter(isEnvelope)).toHaveLength(1);
  });

  it('?after=N&epoch=… resumes on connect: the replay comes right after welcome', async () => {
    const { seq, epoch } = await currentPosition();
    await changeProducts(50);
    const client = await connect(`?after=${seq}&epoch=${epoch}`);
    const { replayed, resumed } = await untilResumed(client);

    expect(replayed.map(seqOf)).toEqual(Array.from({ length: 50 }, (_, i) => seq + 1 + i));
    expect(resumed.payload).toEqual({ after: seq, to: seq + 50, recovered: true });
    await changeProducts(1);
    expect(seqOf(await client.next(isEnvelope, client.frames.indexOf(resumed)))).toBe(seq + 51);
  });

  it('changes made during the replay: nothing twice, nothing skipped at the seam', async () => {
    const { seq, epoch } = await currentPosition();
    await changeProducts(300);
    const client = await connect(`?after=${seq}&epoch=${epoch}`);
    // these commit while the replay reads the store: they are held and sent after it
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.http
          .post('/products')
          .send({ name: `during ${i}`, price: 2 })
          .expect(201),
      ),
    );
    await client.next((f) => isEnvelope(f) && seqOf(f) === seq + 330);
    const seqs = client.frames.filter(isEnvelope).map(seqOf);
    expect(seqs).toEqual(Array.from({ length: 330 }, (_, i) => seq + 1 + i));
    const resumed = await client.next((f) => f.event === 'resumed');
    expect(resumed.payload).toMatchObject({ after: seq, recovered: true });
    expect((resumed.payload as { to: number }).to).toBeGreaterThanOrEqual(seq + 300);
  });

  it('another epoch: resumed without recovery, with the oldest retained and the last position; then live', async () => {
    const { seq } = await currentPosition();
    const client = await connect();
    client.send({ event: 'resume', data: { after: 1, epoch: 'another-stream' } });
    const { replayed, resumed } = await untilResumed(client);
    expect(replayed).toEqual([]);
    expect(resumed.payload).toEqual({ recovered: false, earliest_seq: 1, seq });
    await changeProducts(1);
    expect(seqOf(await client.next(isEnvelope))).toBe(seq + 1);
  });

  it('a position past the last committed one is not recovered either', async () => {
    const { seq, epoch } = await currentPosition();
    const client = await connect(`?after=${seq + 1000}&epoch=${epoch}`);
    expect((await untilResumed(client)).resumed.payload).toMatchObject({ recovered: false, seq });
  });

  it('past retention: not recovered, with earliest_seq; from just before the oldest kept it recovers', async () => {
    const { seq, epoch } = await currentPosition();
    const pruned = seq - 10;
    // what retention does, now rather than at the relay's next prune
    await t.dataSource.query(`DELETE FROM outbox WHERE seq <= ${pruned}`);

    const lost = await connect(`?after=${pruned - 1}&epoch=${epoch}`);
    const { replayed, resumed } = await untilResumed(lost);
    expect(replayed).toEqual([]);
    expect(resumed.payload).toEqual({ recovered: false, earliest_seq: pruned + 1, seq });

    const kept = await connect(`?after=${pruned}&epoch=${epoch}`);
    const recovered = await untilResumed(kept);
    expect(recovered.replayed.map(seqOf)).toEqual(
      Array.from({ length: 10 }, (_, i) => pruned + 1 + i),
    );
    expect(recovered.resumed.payload).toEqual({ after: pruned, to: seq, recovered: true });
  });

  it('a subscription narrows the replay too', async () => {
    const { seq, epoch } = await currentPosition();
    for (let i = 0; i < 5; i++) {
      await changeProducts(1);
      await t.http
        .post('/items')
        .send({ base: 'USD', code: `RS${i}`, rate: 1 + i })
        .expect(201);
    }
    const client = await connect();
    client.send({ event: 'subscribe', data: { events: ['item.*'] } });
    await client.next((f) => f.event === 'subscribed');
    client.send({ event: 'resume', data: { after: seq, epoch } });
    const resumed = await client.next((f) => f.event === 'resumed');

    const replayed = client.frames.filter(isEnvelope);
    expect(replayed.map((f) => f.event)).toEqual(Array(5).fill('item.created'));
    expect(replayed.map(seqOf)).toEqual([2, 4, 6, 8, 10].map((n) => seq + n));
    expect(resumed.payload).toEqual({ after: seq, to: seq + 10, recovered: true });
  });

  it.each([
    ['no data', { event: 'resume' }],
    ['a negative position', { event: 'resume', data: { after: -1, epoch: 'e' } }],
    ['a fractional position', { event: 'resume', data: { after: 1.5, epoch: 'e' } }],
    ['a position as a string', { event: 'resume', data: { after: '3', epoch: 'e' } }],
    ['no epoch', { event: 'resume', data: { after: 3 } }],
  ])('answers a resume with %s with an error frame, and stays connected', async (_label, frame) => {
    const client = await connect();
    client.send(frame);
    expect((await client.next((f) => f.event === 'error')).payload?.message).toMatch(
      /resume needs/,
    );
    client.send({ event: 'ping' });
    await client.next((f) => f.event === 'pong');
    expect(client.frames.some((f) => f.event === 'resumed')).toBe(false);
  });

  it('answers a bad ?after= with an error frame after welcome, and goes on live', async () => {
    const { seq } = await currentPosition();
    const client = await connect('?after=soon&epoch=e');
    expect((await client.next((f) => f.event === 'error')).payload?.message).toMatch(
      /resume needs/,
    );
    await changeProducts(1);
    expect(seqOf(await client.next(isEnvelope))).toBe(seq + 1);
  });
});
