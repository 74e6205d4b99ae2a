import WebSocket from 'ws';
import { DOMAIN_EVENT_NAMES } from '../src/gateway/domain-event-list';
import { pollUntil } from './helpers/poll';
import { parsePrometheus } from './helpers/prometheus';
import { startTestApp, TestApp } from './helpers/test-app';
import { TestWsClient } from './helpers/ws-client';

type Handshake = { status: number; body: string; socket?: WebSocket };

/** One handshake to /ws/items: 101 with the open socket, or the refusal's status and body. */
function handshake(baseUrl: string, origin?: string): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/ws/items`,
      origin === undefined ? {} : { origin },
    );
    socket.once('open', () => resolve({ status: 101, body: '', socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

async function metric(t: TestApp, name: string, labels: Record<string, string> = {}) {
  const text = (await t.http.get('/metrics').expect(200)).text;
  const sample = parsePrometheus(text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return sample?.value ?? 0;
}

const closeAll = (sockets: (WebSocket | undefined)[]) =>
  Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.readyState === socket.CLOSED) {
            return resolve();
          }
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );

describe.each([
  { corsOrigins: 'https://app.example.com', label: 'CORS_ORIGINS=https://app.example.com' },
  { corsOrigins: '', label: 'CORS_ORIGINS empty (CORS off)' },
])('WebSocket handshake origin check with $label', ({ corsOrigins }) => {
  let t: TestApp;
  const opened: (WebSocket | undefined)[] = [];

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: corsOrigins });
  });
  afterAll(async () => {
    await closeAll(opened);
    await t.close();
  });

  it('refuses a handshake from another web origin with 403 before the upgrade', async () => {
    const refused = await handshake(t.baseUrl, 'https://evil.example');
    expect(refused).toEqual({ status: 403, body: 'origin not allowed' });
    expect(await metric(t, 'websocket_clients')).toBe(0);
    expect(await metric(t, 'websocket_handshakes_refused_total', { reason: 'origin' })).toBe(1);
    // `null` (a sandboxed frame, a file) is not an origin anyone listed
    expect((await handshake(t.baseUrl, 'null')).status).toBe(403);
  });

  it('accepts a handshake without Origin (not a browser)', async () => {
    const accepted = await handshake(t.baseUrl);
    opened.push(accepted.socket);
    expect(accepted.status).toBe(101);
  });

  it("accepts the service's own origin, as the live page sends it", async () => {
    const client = await TestWsClient.connect(t.baseUrl, { origin: t.baseUrl });
    opened.push(client.socket);
    expect(client.frames[0].event).toBe('welcome');
  });

  if (corsOrigins !== '') {
    it('accepts an origin CORS_ORIGINS lists', async () => {
      const accepted = await handshake(t.baseUrl, 'https://app.example.com');
      opened.push(accepted.socket);
      expect(accepted.status).toBe(101);
    });
  }
});

describe('WebSocket connections per client address (WS_MAX_CLIENTS_PER_IP default 100)', () => {
  let t: TestApp;
  const opened: (WebSocket | undefined)[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await closeAll(opened);
    await t.close();
  });

  it('refuses the 101st connection from one address with 429, and accepts one again after a close', async () => {
    const first = await Promise.all(Array.from({ length: 100 }, () => handshake(t.baseUrl)));
    opened.push(...first.map((h) => h.socket));
    expect(first.map((h) => h.status)).toEqual(Array(100).fill(101));
    expect(await metric(t, 'websocket_clients')).toBe(100);

    expect(await handshake(t.baseUrl)).toEqual({
      status: 429,
      body: 'too many WebSocket connections from this address',
    });
    expect(await metric(t, 'websocket_clients')).toBe(100);

    await closeAll([first[0].socket]);
    const again = await pollUntil(
      () => handshake(t.baseUrl),
      (h) => h.status === 101,
      { what: 'a connection accepted once one closed' },
    );
    opened.push(again.socket);
    expect(
      await metric(t, 'websocket_handshakes_refused_total', { reason: 'max_clients_per_ip' }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('WebSocket connections in all (WS_MAX_CLIENTS=3)', () => {
  let t: TestApp;
  const opened: (WebSocket | undefined)[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WS_MAX_CLIENTS: '3' });
  });
  afterAll(async () => {
    await closeAll(opened);
    await t.close();
  });

  it('refuses the 4th connection with 503', async () => {
    for (let i = 0; i < 3; i++) {
      const accepted = await handshake(t.baseUrl);
      opened.push(accepted.socket);
      expect(accepted.status).toBe(101);
    }
    expect(await handshake(t.baseUrl)).toEqual({
      status: 503,
      body: 'too many WebSocket connections; retry later',
    });
    expect(await metric(t, 'websocket_handshakes_refused_total', { reason: 'max_clients' })).toBe(
      1,
    );
  });
});

describe('WebSocket client that sends commands and never reads the replies', () => {
  let t: TestApp;

  beforeAll(async () => {
    // a long heartbeat, so the slow reader is not dropped as dead first
    t = await startTestApp({ WS_HEARTBEAT_MS: '60000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is cut as a slow consumer (4008): replies count toward the cut like events', async () => {
    const slow = await TestWsClient.connect(t.baseUrl);
    const socket = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    socket.pause();
    // each `subscribed` reply echoes the 50 patterns: about 1 kB
    const events = Array.from(
      { length: 50 },
      (_, i) => DOMAIN_EVENT_NAMES[i % DOMAIN_EVENT_NAMES.length],
    );
    const frame = JSON.stringify({ event: 'subscribe', data: { events } });
    // no events at all meanwhile: only replies fill the server's buffer
    for (let round = 0; round < 100 && (await metric(t, 'websocket_clients')) > 0; round++) {
      for (let i = 0; i < 1000; i++) {
        slow.send(frame);
      }
      await pollUntil(
        async () => slow.socket.bufferedAmount,
        (unsent) => unsent === 0,
        { what: 'the subscribe frames handed to the network' },
      );
    }
    await pollUntil(
      () => metric(t, 'websocket_clients'),
      (clients) => clients === 0,
      { what: 'the slow client cut' },
    );
    socket.resume();
    expect((await slow.waitClosed(30_000)).code).toBe(4008);
  });
});
