import { BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { appConfig } from '../config/app.config';
import { EventEnvelope } from '../events/domain-events';
import { OrderedEventStream } from '../events/stream/ordered-event-stream';
import {
  INVALID_FRAME,
  matches,
  resumeFromQuery,
  resumeRequest,
  subscriptionProblem,
} from './client-frames';
import { ClientState, deliver, Frame, sendFrame } from './client-state';
import { DOMAIN_EVENT_NAMES } from './domain-event-list';
import { EventReplay } from './event-replay';
import { ClientFrameName, WS_PATH } from './frames';

/** Frames larger than this close the connection (ws answers 1009): clients only send small commands. */
const MAX_PAYLOAD = 16 * 1024;
const CLOSE_GOING_AWAY = 1001;
/** How long a shutdown waits for clients to answer the close frame. */
const CLOSE_HANDSHAKE_MS = 2000;

/**
 * `ws://host/ws/items`: every event envelope (products, items, rates, jobs) to every client,
 * narrowed by `subscribe`; `resume` (or `?after=&epoch=`) first replays what a client missed.
 * Handlers send their answers through `reply` and return nothing: a reply returned to Nest would
 * be sent past the slow-consumer cut.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: MAX_PAYLOAD })
export class EventsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  private readonly logger = new Logger('EventsGateway');
  private readonly clients = new Map<WebSocket, ClientState>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly stream: OrderedEventStream,
    private readonly replay: EventReplay,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  afterInit(_server: WebSocketServer): void {
    // a client that missed a whole ping interval is gone (network cut, sleeping laptop): drop it
    this.heartbeat = setInterval(() => {
      for (const [client, state] of this.clients) {
        if (!state.alive) {
          this.logger.warn('dropping a WebSocket client that stopped answering pings');
          client.terminate();
          this.clients.delete(client);
          continue;
        }
        state.alive = false;
        client.ping();
      }
    }, this.app.wsHeartbeatMs);
    this.heartbeat.unref();
  }

  handleConnection(client: WebSocket, request?: IncomingMessage): void {
    const state: ClientState = { patterns: null, alive: true };
    this.clients.set(client, state);
    client.on('pong', () => (state.alive = true));
    sendFrame(client, {
      event: 'welcome',
      payload: {
        instance: this.app.instanceId,
        events: DOMAIN_EVENT_NAMES,
        // live events continue from here: the position this client's stream has delivered
        seq: this.stream.position,
        epoch: this.stream.epoch,
      },
    });
    const resume = resumeFromQuery(request?.url);
    if (typeof resume === 'string') {
      sendFrame(client, { event: 'error', payload: { message: resume } });
    } else if (resume) {
      void this.replay.resume(client, state, resume);
    }
  }

  handleDisconnect(client: WebSocket): void {
    this.clients.delete(client);
  }

  /**
   * At shutdown, after the jobs recorded their end (their events reached clients at commit) and
   * before Nest tears the server down (which would cut sockets without a close frame): every
   * client gets close code 1001 and a moment to complete the closing handshake.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    const closed = [...this.clients.keys()].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.once('close', () => resolve());
          client.close(CLOSE_GOING_AWAY, 'server shutting down');
        }),
    );
    this.clients.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_HANDSHAKE_MS))),
    ]);
    clearTimeout(timer);
  }

  @SubscribeMessage('ping' satisfies ClientFrameName)
  ping(@ConnectedSocket() client: WebSocket): void {
    this.reply(client, { event: 'pong' });
  }

  @SubscribeMessage('subscribe' satisfies ClientFrameName)
  subscribe(@ConnectedSocket() client: WebSocket, @MessageBody() data: unknown): void {
    const problem = subscriptionProblem(data);
    if (problem) {
      this.reply(client, { event: 'error', payload: { message: problem } });
      return;
    }
    const events = (data as { events: string[] }).events;
    const state = this.clients.get(client);
    if (state) {
      state.patterns = events;
    }
    this.reply(client, { event: 'subscribed', payload: { events } });
  }

  @SubscribeMessage('resume' satisfies ClientFrameName)
  resume(@ConnectedSocket() client: WebSocket, @MessageBody() data: unknown): void {
    const request = resumeRequest(data);
    const state = this.clients.get(client);
    if (typeof request === 'string') {
      this.reply(client, { event: 'error', payload: { message: request } });
      return;
    }
    if (!state) {
      return;
    }
    if (state.catchUp) {
      this.reply(client, {
        event: 'error',
        payload: { message: 'a resume is already in progress' },
      });
      return;
    }
    // its frames (the replay, then `resumed`) are sent as the store is read
    void this.replay.resume(client, state, request);
  }

  @SubscribeMessage(INVALID_FRAME)
  invalid(@ConnectedSocket() client: WebSocket, @MessageBody() message: string): void {
    this.reply(client, { event: 'error', payload: { message } });
  }

  /** An answer to a client frame; a client cut as a slow consumer leaves the list at once. */
  private reply(client: WebSocket, frame: Frame): void {
    if (!sendFrame(client, frame)) {
      this.clients.delete(client);
    }
  }

  /** Sends the envelope to every client whose subscription matches it. */
  broadcast(envelope: EventEnvelope): void {
    // serialized once, and only when someone listens (a refresh raises thousands of events)
    let frame: string | undefined;
    for (const [client, state] of this.clients) {
      if (client.readyState !== client.OPEN) {
        continue;
      }
      if (state.catchUp) {
        // a replay is still sending what came before: it sends this one after them
        state.catchUp.hold(envelope);
        continue;
      }
      if (!matches(state.patterns, envelope.event)) {
        continue;
      }
      frame ??= JSON.stringify(envelope);
      if (!deliver(client, frame)) {
        // cut as a slow consumer: no more events while its close completes
        this.clients.delete(client);
      }
    }
  }
}
