import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP forwarder that a test can cut: every open connection is destroyed and new ones
 * are refused (the port stays bound), as a database host that went away would look to the app.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private up = true;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.forward(client, targetHost, targetPort));
    return proxy;
  }

  private forward(client: Socket, host: string, port: number): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    const target = connect(port, host);
    for (const socket of [client, target]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => target.destroy());
    target.on('close', () => client.destroy());
    client.pipe(target).pipe(client);
  }

  cut(): void {
    this.up = false;
    for (const socket of this.sockets) {
      socket.destroy();
    }
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
