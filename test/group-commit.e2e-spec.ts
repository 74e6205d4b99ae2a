import { SqlDialect } from '../src/database/sql-dialect';
import { hotQuery, Transaction } from '../src/database/transaction';
import { TransactionRunner } from '../src/database/transaction-runner';
import { expectErrorShape } from './helpers/error-shape';
import { startTestApp, TestApp } from './helpers/test-app';

interface Envelope {
  seq: number;
  event: string;
  payload: { id: number; name: string; price: number; external_id: string | null };
}

interface Row {
  id: number;
  name: string;
  price: number;
  external_id: string | null;
}

/**
 * Concurrent writes on both engines: on SQLite they share transactions (group commit, each
 * request in its own savepoint); on PostgreSQL they run side by side. Either way each request
 * gets its own result, and the events follow commit order with no gap.
 */
describe('Concurrent writes: each its own result, events in commit order', () => {
  let t: TestApp;
  let closed = false;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (!closed) {
      await t.close();
    }
  });

  const latestSeq = async (): Promise<number> =>
    (await t.http.get('/events/latest').expect(200)).body.seq as number;

  /** Every event after `after`, page by page. */
  async function eventsAfter(after: number): Promise<Envelope[]> {
    const all: Envelope[] = [];
    for (;;) {
      const page = (await t.http.get('/events').query({ after, limit: 100 }).expect(200))
        .body as Envelope[];
      if (page.length === 0) {
        return all;
      }
      all.push(...page);
      after = page[page.length - 1].seq;
    }
  }

  const rows = async (): Promise<Row[]> =>
    (
      await t.dataSource.query<Row[]>(
        'SELECT id, name, price, external_id FROM products ORDER BY id',
      )
    ).map((r) => ({ ...r, price: Number(r.price) }));

  const expectGapFree = (events: Envelope[], after: number) =>
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => after + 1 + i));

  it('50 concurrent POSTs with one taken external_id: 49 × 201 and one 409, all rows and events right', async () => {
    await t.http
      .post('/products')
      .send({ name: 'owner', price: 1, external_id: 'taken' })
      .expect(201);
    const before = await latestSeq();
    const taken = 17;
    const bodies = Array.from({ length: 50 }, (_, i) => ({
      name: `g${i}`,
      price: i + 0.5,
      external_id: i === taken ? 'taken' : `g-${i}`,
    }));
    const results = await Promise.all(bodies.map((b) => t.http.post('/products').send(b)));

    expect(results.map((r) => r.status)).toEqual(bodies.map((_, i) => (i === taken ? 409 : 201)));
    expectErrorShape(results[taken], 409);
    expect(results[taken].body.message).toBe(
      'external_id "taken" is already used by another product',
    );
    for (const [i, res] of results.entries()) {
      if (i !== taken) {
        expect(res.body).toMatchObject(bodies[i]);
      }
    }

    // the rows: the owner and the 49, each with its own data, nothing of the refused one
    const created = results.filter((_, i) => i !== taken).map((r) => r.body as Row);
    const stored = await rows();
    expect(stored).toHaveLength(50);
    expect(stored.filter((r) => r.external_id === 'taken').map((r) => r.name)).toEqual(['owner']);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const product of created) {
      expect(byId.get(product.id)).toEqual({
        id: product.id,
        name: product.name,
        price: product.price,
        external_id: product.external_id,
      });
    }

    // the events: 49 product.created, positions gap-free after the earlier ones, none for the 409
    const events = await eventsAfter(before);
    expectGapFree(events, before);
    expect(events.map((e) => e.event)).toEqual(Array(49).fill('product.created'));
    expect(events.map((e) => e.payload.id).sort((a, b) => a - b)).toEqual(
      created.map((p) => p.id).sort((a, b) => a - b),
    );
    for (const e of events) {
      expect(e.payload).toMatchObject(byId.get(e.payload.id) as Row);
    }
    if (t.dataSource.options.type === 'sqlite') {
      // one writer: ids and positions are both handed out in the order the runs executed,
      // which is the order they committed in
      const ids = events.map((e) => e.payload.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('concurrent creates, updates and deletes (some refused): the rows and the events agree', async () => {
    await t.dataSource.query('DELETE FROM products');
    const setup: Row[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await t.http
        .post('/products')
        .send({ name: `m${i}`, price: i, external_id: `m-${i}` })
        .expect(201);
      setup.push(res.body as Row);
    }
    const id = (i: number) => setup[i].id;
    const before = await latestSeq();

    type Call = { expect: number; send: () => Promise<{ status: number }> };
    const calls: Call[] = [];
    for (let i = 0; i < 15; i++) {
      calls.push({
        expect: 201,
        send: () =>
          t.http.post('/products').send({ name: `n${i}`, price: 100 + i, external_id: `n-${i}` }),
      });
    }
    calls.push({
      expect: 409,
      send: () => t.http.post('/products').send({ name: 'dup', price: 1, external_id: 'm-0' }),
    });
    for (let i = 10; i < 20; i++) {
      calls.push({
        expect: 200,
        send: () => t.http.patch(`/products/${id(i)}`).send({ price: 1000 + i }),
      });
    }
    calls.push({
      expect: 409,
      send: () => t.http.patch(`/products/${id(20)}`).send({ external_id: 'm-1' }),
    });
    calls.push({
      expect: 200,
      send: () => t.http.put(`/products/${id(0)}`).send({ name: 'zero', price: 0.25 }),
    });
    for (let i = 21; i < 30; i++) {
      calls.push({ expect: 204, send: () => t.http.delete(`/products/${id(i)}`) });
    }
    calls.push({ expect: 404, send: () => t.http.delete('/products/999999') });
    // interleaved, so every kind of write shares groups with every other
    const order = calls.map((_, i) => i).sort((a, b) => ((a * 7) % 41) - ((b * 7) % 41));
    const statuses = new Array<number>(calls.length);
    await Promise.all(
      order.map(async (i) => {
        statuses[i] = (await calls[i].send()).status;
      }),
    );
    expect(statuses).toEqual(calls.map((c) => c.expect));

    const expected = new Map<number, Omit<Row, 'id'>>();
    for (let i = 0; i < 21; i++) {
      expected.set(id(i), {
        name: `m${i}`,
        price: i >= 10 && i < 20 ? 1000 + i : i,
        external_id: `m-${i}`,
      });
    }
    expected.set(id(0), { name: 'zero', price: 0.25, external_id: null });
    const stored = await rows();
    const kept = stored.filter((r) => expected.has(r.id));
    expect(kept.map(({ id: rowId, ...rest }) => [rowId, rest])).toEqual(
      [...expected.entries()].sort(([a], [b]) => a - b),
    );
    const added = stored.filter((r) => !expected.has(r.id));
    expect(added.map((r) => r.external_id).sort()).toEqual(
      Array.from({ length: 15 }, (_, i) => `n-${i}`).sort(),
    );

    const events = await eventsAfter(before);
    expectGapFree(events, before);
    const of = (name: string) => events.filter((e) => e.event === name).map((e) => e.payload.id);
    expect(of('product.created').sort((a, b) => a - b)).toEqual(added.map((r) => r.id));
    expect(of('product.updated').sort((a, b) => a - b)).toEqual(
      [0, ...Array.from({ length: 10 }, (_, i) => 10 + i)].map(id),
    );
    expect(of('product.deleted').sort((a, b) => a - b)).toEqual(
      Array.from({ length: 9 }, (_, i) => id(21 + i)),
    );
    expect(events).toHaveLength(15 + 11 + 9);
    // each stored row is what its last event says
    const last = new Map(events.map((e) => [e.payload.id, e.payload]));
    for (const row of stored) {
      if (last.has(row.id)) {
        expect(last.get(row.id)).toMatchObject(row);
      }
    }
  });

  it('a run that wrote and then failed leaves nothing behind; the runs around it commit', async () => {
    await t.dataSource.query('DELETE FROM products');
    const runner = t.app.get(TransactionRunner);
    const param = t.app.get(SqlDialect).param(1);
    const insert = (tx: Transaction, name: string) =>
      hotQuery(
        tx,
        'INSERT INTO products (name, description, price, created_at, updated_at) ' +
          `VALUES (${param}, '', 1, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')`,
        [name],
      );
    // started together: on SQLite they share one transaction, each run in its own savepoint
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((name) =>
        runner.run(async (tx) => {
          await insert(tx, `${name}1`);
          if (name === 'b' || name === 'd') {
            await insert(tx, `${name}2`);
            throw new Error(`${name} fails after two writes`);
          }
          await insert(tx, `${name}2`);
          return name;
        }),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)))).toEqual([
      'a',
      'Error: b fails after two writes',
      'c',
      'Error: d fails after two writes',
      'e',
    ]);
    expect((await rows()).map((r) => r.name).sort()).toEqual(['a1', 'a2', 'c1', 'c2', 'e1', 'e2']);
  });

  it('closes its database connection after the groups (nothing left prepared on it)', async () => {
    await t.http.post('/products').send({ name: 'last', price: 1 }).expect(201);
    closed = true;
    await t.close();
    // TypeORM keeps it initialized when its driver fails to close (SQLite refuses while
    // statements are prepared on the connection)
    expect(t.dataSource.isInitialized).toBe(false);
  });
});
