import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrototypedExpressAdapter } from './express-adapter';

describe('PrototypedExpressAdapter', () => {
  let server: Server;
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it("creates requests and responses with Express's prototypes, before Express sees them", async () => {
    const adapter = new PrototypedExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<{ request: object; response: object }>();
    adapter.get(
      '/hello',
      (_req: IncomingMessage, res: ServerResponse & { json(b: object): void }) =>
        res.json({ hello: 'world' }),
    );
    server = adapter.getHttpServer();
    const seen: boolean[] = [];
    // runs before Express's own listener, so it sees the objects as the server made them
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
      seen.push(
        Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/hello`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ hello: 'world' });
    }
    expect(seen).toEqual([true, true, true]);
  });
});
