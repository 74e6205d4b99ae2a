import { Logger } from '@nestjs/common';
import { CustomStrategy, NatsOptions, ServerNats } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { JSONCodec, NatsConnection } from 'nats';
import { redactUrl } from '../config/redact-url';
import { connectUntilStopped } from './connect-until-stopped';
import { NatsConnectOptions } from './nats-options';

const codec = JSONCodec();
/** Marks requests that came without Nest's packet, so the reply goes back without it too. */
const PLAIN = 'plain:';

interface Packet {
  pattern?: unknown;
  data?: unknown;
  id?: string;
}

const isNestPacket = (value: unknown): value is Packet =>
  typeof value === 'object' && value !== null && 'pattern' in value && 'data' in value;

/**
 * Nest's default deserializer takes any JSON with a top-level `data`, `pattern` or `id` for its
 * own packet, and never replies to a plain request. This one accepts Nest packets as they are and
 * wraps anything else (a sibling's plain JSON, our own event envelopes) as data on its subject.
 */
export class PlainOrNestDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): Packet {
    let decoded: unknown;
    try {
      decoded = codec.decode(value);
    } catch {
      decoded = { malformed: Buffer.from(value).toString('utf8').slice(0, 200) };
    }
    if (isNestPacket(decoded)) {
      return decoded;
    }
    return {
      pattern: options?.channel,
      data: decoded,
      id: options?.replyTo ? `${PLAIN}${randomUUID()}` : undefined,
    };
  }
}

interface OutgoingResponse {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/** Replies to Nest clients with Nest's packet; to plain requests with the bare answer or error. */
export class PlainOrNestSerializer {
  serialize(packet: OutgoingResponse): { data: Uint8Array; headers?: undefined } {
    if (typeof packet.id === 'string' && packet.id.startsWith(PLAIN)) {
      return {
        data: codec.encode(
          packet.err !== undefined && packet.err !== null ? packet.err : (packet.response ?? null),
        ),
      };
    }
    return { data: codec.encode(packet) };
  }
}

const DISCONNECT = 'NatsError: type: "disconnect"';

/**
 * Nest's NATS server logs every disconnect at error. Here NATS down is a state the service is
 * built for (the outbox keeps every event, REST and WebSocket go on, /health/ready says so, and
 * the transport reconnects by itself), so a disconnect is a warning; other errors stay errors.
 */
class NatsTransportLogger extends Logger {
  override error(message: unknown, ...rest: [string?, string?]): void {
    if (typeof message === 'string' && message.startsWith(DISCONNECT)) {
      const server = /data: "([^"]*)"/.exec(message)?.[1] ?? 'the server';
      this.warn(`NATS transport disconnected from ${redactUrl(server)}; reconnecting`);
      return;
    }
    super.error(typeof message === 'string' ? redactUrl(message) : message, ...rest);
  }
}

/**
 * Nest's NATS server, with its status lines at the levels an operator should see them, and a
 * first connection that a close stops (see connectUntilStopped): closed before NATS was ever
 * reachable, it rejects with StoppedBeforeConnect instead of dialling on.
 */
export class NatsTransport extends ServerNats {
  protected override readonly logger = new NatsTransportLogger('NatsTransport');
  private readonly stopping = new AbortController();

  constructor(private readonly connectOptions: Required<NatsOptions>['options']) {
    super(connectOptions);
  }

  override createNatsClient(): Promise<NatsConnection> {
    // as Nest's own does: every option goes to nats.js, which ignores the (de)serializers
    return connectUntilStopped(this.connectOptions, this.stopping.signal);
  }

  override async close(): Promise<void> {
    this.stopping.abort();
    await super.close();
  }
}

/**
 * The NATS microservice: never blocks startup, reconnects forever (see connectUntilStopped),
 * serves plain and Nest siblings; with the same servers, credentials and TLS as the service's
 * own connection.
 */
export function natsMicroserviceOptions(
  connection: NatsConnectOptions,
  name: string,
): CustomStrategy {
  const options: Required<NatsOptions>['options'] = {
    ...connection,
    name: `${name}-rpc`,
    deserializer: new PlainOrNestDeserializer(),
    serializer: new PlainOrNestSerializer(),
  };
  return { strategy: new NatsTransport(options) };
}

/** Request-reply patterns share one queue group, so one instance answers each request. */
export const RPC_QUEUE = 'catalog-rates';
