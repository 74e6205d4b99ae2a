import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RemoteAnswer {
  status: number;
  body: unknown;
}

/**
 * A client on a real non-loopback address: a network namespace joined to this host by a veth
 * pair, with curl run inside it. The host side's address is where the namespace reaches this host.
 */
export interface RemoteClient {
  /** The address the namespace reaches this host at (an app listening on all interfaces). */
  hostAddress: string;
  /** The address the app sees the client at. */
  clientAddress: string;
  request(method: string, url: string, body?: unknown): Promise<RemoteAnswer>;
  close(): Promise<void>;
}

/**
 * Opens a namespace, or returns the reason it could not (no `ip`, or namespaces not permitted).
 * Names and the /30 subnet derive from the process id, so parallel runs do not collide.
 */
export async function openRemoteClient(): Promise<RemoteClient | string> {
  const n = process.pid % 16384;
  const ns = `e2e-ns-${process.pid}`;
  const hostSide = `vh${process.pid}`.slice(0, 15);
  const nsSide = `vn${process.pid}`.slice(0, 15);
  const base = `10.200.${Math.floor((n * 4) / 256)}.${(n * 4) % 256}`;
  const octets = base.split('.').map(Number);
  const at = (offset: number) => [...octets.slice(0, 3), octets[3] + offset].join('.');
  const hostAddress = at(1);
  const clientAddress = at(2);
  const ip = (...args: string[]) => run('ip', args);
  const close = async () => {
    // deleting the namespace takes its end of the pair, and with it the host's end
    await ip('netns', 'del', ns).catch(() => undefined);
    await ip('link', 'del', hostSide).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', ns);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
    await ip('link', 'set', nsSide, 'netns', ns);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    await ip('link', 'set', hostSide, 'up');
    await ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${clientAddress}/30`, 'dev', nsSide);
    await ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'up');
  } catch (error) {
    await close();
    return `network namespaces are not available here: ${String(error).split('\n')[0]}`;
  }
  return {
    hostAddress,
    clientAddress,
    close,
    request: async (method, url, body) => {
      const args = ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '10', '-X', method];
      if (body !== undefined) {
        args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(body));
      }
      args.push('-w', '\n%{http_code}', url);
      const { stdout } = await run('ip', args);
      const cut = stdout.lastIndexOf('\n');
      const text = stdout.slice(0, cut);
      return { status: Number(stdout.slice(cut + 1)), body: text ? JSON.parse(text) : undefined };
    },
  };
}
