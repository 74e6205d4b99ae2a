import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { setTimeout as delay } from 'node:timers/promises';
import { Events, JetStreamClient, NatsConnection as Connection, NatsError } from 'nats';
import { appConfig } from '../config/app.config';
import { eventsConfig } from '../config/events.config';
import { natsConfig } from '../config/nats.config';
import { redactUrl } from '../config/redact-url';
import { connectUntilStopped, NATS_RETRY_MS, StoppedBeforeConnect } from './connect-until-stopped';
import { asError, OutgoingEvent, PublishOutcome, publishCore } from './core-publish';
import { ITEMS_SUBJECT, PRODUCTS_SUBJECT } from './domain-events';
import { ensureStream, isRefusal, isStreamGone } from './jetstream';
import { natsConnectOptions } from './nats-options';
import { StreamAcks } from './stream-acks';

export type NatsState = 'off' | 'connecting' | 'connected' | 'disconnected';
export type JetStreamState = 'unknown' | 'available' | 'unavailable';

/**
 * The service's own NATS connection for publishing. It never blocks startup: it connects in the
 * background, reconnects forever, and reports its state (health, the relay) instead of failing.
 */
@Injectable()
export class NatsConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connection?: Connection;
  private stream?: JetStreamClient;
  /** The reply subscription of the stream's acks, on the current connection. */
  private acks?: StreamAcks;
  private readonly stopping = new AbortController();
  private readonly subscriptions: { subject: string; handler: (data: Uint8Array) => void }[] = [];
  state: NatsState = 'off';
  jetstream: JetStreamState = 'unknown';

  constructor(
    @Inject(natsConfig.KEY) private readonly config: ConfigType<typeof natsConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(eventsConfig.KEY) private readonly events: ConfigType<typeof eventsConfig>,
  ) {}

  onModuleInit(): void {
    if (this.config.servers.length === 0) {
      this.logger.log('NATS is off (NATS_URL is empty)');
      return;
    }
    this.state = 'connecting';
    void this.connectInBackground();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    // drain: what was handed to the client is delivered before the connection closes
    await this.connection?.drain().catch(() => undefined);
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** A core message with no confirmation (a wake-up call to another instance). */
  notify(subject: string): void {
    if (this.connection && this.connected) {
      this.connection.publish(subject);
    }
  }

  /**
   * Calls `handler` with each message on `subject`, from the (next) connection on. Messages this
   * connection published itself are not delivered back (noEcho).
   */
  onMessage(subject: string, handler: (data: Uint8Array) => void): void {
    this.subscriptions.push({ subject, handler });
    this.connection?.subscribe(subject, { callback: (_, msg) => handler(msg.data) });
  }

  /**
   * Publishes in order. With JetStream each message carries `Nats-Msg-Id` and counts as published
   * once the stream acknowledged it (pipelined on one connection, so the stream keeps the order);
   * without JetStream a flush confirms the whole batch.
   */
  async publishEvents(messages: OutgoingEvent[]): Promise<PublishOutcome> {
    const connection = this.connection;
    if (!connection || !this.connected) {
      return { published: [], refused: [], error: new Error('NATS is not connected') };
    }
    if (this.jetstream === 'unknown') {
      // the stream could not be set up: core publishes now would be missing from it for good
      await this.attachStream(connection);
    }
    const stream = this.stream;
    if (this.jetstream === 'unknown') {
      return { published: [], refused: [], error: new Error('the JetStream stream is not set up') };
    }
    if (!stream) {
      return publishCore(connection, messages, this.config.confirmTimeoutMs);
    }
    if (!this.acks?.serves(connection)) {
      this.acks = new StreamAcks(connection);
    }
    const errors = await this.acks.publish(messages, this.config.confirmTimeoutMs);
    const outcome: PublishOutcome = { published: [], refused: [] };
    for (const [index, error] of errors.entries()) {
      const seq = messages[index].seq;
      if (error === undefined) {
        outcome.published.push(seq);
      } else if (isRefusal(error)) {
        outcome.refused.push({ seq, reason: String(error) });
      } else {
        outcome.error = asError(error);
        break;
      }
    }
    if (isStreamGone(outcome.error)) {
      // the stream was deleted (or JetStream turned off) under a live connection, or something
      // else answered in its place: set it up again before the retry, not at the next reconnect
      await this.attachStream(connection);
    }
    return outcome;
  }

  /** The stream of the service's events, created or updated on each (re)connection. */
  private async attachStream(connection: Connection): Promise<void> {
    try {
      this.stream = await ensureStream(connection, {
        name: this.events.streamName,
        subjects: [PRODUCTS_SUBJECT, ITEMS_SUBJECT],
        maxAgeMs: this.events.retentionHours * 3_600_000,
        maxMessages: this.events.retentionMax,
      });
      this.jetstream = this.stream ? 'available' : 'unavailable';
      this.logger.log(
        this.stream
          ? `JetStream stream ${this.events.streamName} ready`
          : 'the NATS server has no JetStream: events go out with core NATS only',
      );
    } catch (error) {
      this.stream = undefined;
      this.jetstream = 'unknown';
      this.logger.warn(`could not set up the JetStream stream: ${String(error)}`);
    }
  }

  /** Connects, serves the connection until it closes, and starts over unless stopping. */
  private async connectInBackground(): Promise<void> {
    const options = {
      ...natsConnectOptions(this.config),
      name: this.app.instanceId,
      // the relay's own events never come back to this instance's fan-out
      noEcho: true,
    };
    while (!this.stopping.signal.aborted) {
      try {
        const connection = await connectUntilStopped(
          options,
          this.stopping.signal,
          NATS_RETRY_MS,
          (error, attempt) => {
            if (attempt === 1) {
              const refused = error instanceof NatsError && error.isAuthError();
              this.logger.warn(
                `${refused ? 'NATS refused the login' : 'NATS not reachable yet'} (${redactUrl(String(error))}); trying every ${NATS_RETRY_MS} ms`,
              );
            }
          },
        );
        await this.serve(connection);
      } catch (error) {
        if (error instanceof StoppedBeforeConnect) {
          return;
        }
        this.logger.error(`NATS connection failed: ${redactUrl(String(error))}`);
        await delay(NATS_RETRY_MS, undefined, { signal: this.stopping.signal }).catch(() => {});
      }
      if (!this.stopping.signal.aborted) {
        this.state = 'connecting';
        this.logger.warn('the NATS connection closed; connecting again');
      }
    }
  }

  /** Subscribes, sets up the stream and follows the connection's status until it closes. */
  private async serve(connection: Connection): Promise<void> {
    this.connection = connection;
    for (const { subject, handler } of this.subscriptions) {
      connection.subscribe(subject, { callback: (_, msg) => handler(msg.data) });
    }
    await this.attachStream(connection);
    this.state = 'connected';
    this.logger.log(`connected to ${redactUrl(connection.getServer())}`);
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) {
        this.state = 'disconnected';
        this.logger.warn('disconnected from NATS; reconnecting');
      } else if (status.type === Events.Reconnect) {
        await this.attachStream(connection);
        this.state = 'connected';
        this.logger.log('reconnected to NATS');
      }
    }
    this.connection = undefined;
    this.state = 'disconnected';
  }
}
