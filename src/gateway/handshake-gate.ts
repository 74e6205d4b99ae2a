import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { eventsConfig } from '../config/events.config';
import { securityConfig } from '../config/security.config';
import { MetricsService } from '../metrics/metrics.service';
import { clientAddress } from '../security/client-address';
import { originAllowed } from './handshake-origin';

/** Why a handshake was refused: the `reason` label of websocket_handshakes_refused_total. */
export type RefusalReason = 'origin' | 'max_clients' | 'max_clients_per_ip';

const REFUSALS: Record<RefusalReason, { status: number; message: string }> = {
  origin: { status: 403, message: 'origin not allowed' },
  max_clients: { status: 503, message: 'too many WebSocket connections; retry later' },
  max_clients_per_ip: { status: 429, message: 'too many WebSocket connections from this address' },
};

/** What ws hands a `verifyClient` callback. */
export interface HandshakeInfo {
  origin?: string;
  secure: boolean;
  req: IncomingMessage;
}

type Verdict = (accepted: boolean, status?: number, message?: string) => void;

/**
 * Decides each WebSocket handshake before the upgrade, so a refused client gets a plain HTTP
 * status (403 for a foreign origin, 503 at WS_MAX_CLIENTS, 429 at WS_MAX_CLIENTS_PER_IP) and no
 * socket. It counts the connections itself, from ws's `connection` event to the socket's close.
 */
@Injectable()
export class HandshakeGate {
  private readonly logger = new Logger('WebSocketHandshake');
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(
    @Inject(securityConfig.KEY) private readonly security: ConfigType<typeof securityConfig>,
    @Inject(eventsConfig.KEY) private readonly events: ConfigType<typeof eventsConfig>,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * ws's `verifyClient`. It answers synchronously, and ws then completes the upgrade and emits
   * `connection` in the same tick, so no two handshakes can both take the last free slot.
   */
  readonly verify = (info: HandshakeInfo, done: Verdict): void => {
    const reason = this.refusal(info);
    if (reason === undefined) {
      done(true);
      return;
    }
    const { status, message } = REFUSALS[reason];
    this.metrics.websocketHandshakeRefused(reason);
    this.logger.warn(
      `refused a WebSocket handshake from ${clientAddress(info.req)} (${status}: ${message})` +
        (reason === 'origin' ? ` for origin ${JSON.stringify(info.origin?.slice(0, 200))}` : ''),
    );
    done(false, status, message);
  };

  /** Counts the server's connections, each until its socket closes. */
  watch(server: WebSocketServer): void {
    server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      const address = clientAddress(request);
      this.total++;
      this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
      socket.once('close', () => this.release(address));
    });
  }

  private refusal({ origin, req }: HandshakeInfo): RefusalReason | undefined {
    if (!originAllowed(origin, req.headers.host, this.security.corsOrigins)) {
      return 'origin';
    }
    if (this.total >= this.events.wsMaxClients) {
      return 'max_clients';
    }
    if ((this.perAddress.get(clientAddress(req)) ?? 0) >= this.events.wsMaxClientsPerIp) {
      return 'max_clients_per_ip';
    }
    return undefined;
  }

  private release(address: string): void {
    this.total--;
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) {
      this.perAddress.set(address, left);
    } else {
      this.perAddress.delete(address);
    }
  }
}
