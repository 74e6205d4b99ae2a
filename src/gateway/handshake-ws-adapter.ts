import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocketServer } from 'ws';
import { parseClientFrame } from './client-frames';
import { HandshakeGate } from './handshake-gate';

/**
 * Nest's ws adapter with every handshake decided by the HandshakeGate before the upgrade (a
 * refusal is an HTTP status, never an opened-then-closed socket), and client frames parsed by
 * parseClientFrame.
 */
export class GatewayWsAdapter extends WsAdapter {
  private readonly gate: HandshakeGate;

  constructor(app: INestApplicationContext) {
    super(app, { messageParser: parseClientFrame });
    this.gate = app.get(HandshakeGate);
  }

  override create(port: number, options?: Record<string, unknown>): WebSocketServer {
    const server = super.create(port, {
      ...options,
      verifyClient: this.gate.verify,
    }) as WebSocketServer;
    this.gate.watch(server);
    return server;
  }
}
