import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Events, NatsConnection as Connection } from 'nats';
import { appConfig } from '../config/app.config';
import { natsConfig } from '../config/nats.config';
import { connectUntilStopped, NATS_RETRY_MS, StoppedBeforeConnect } from './connect-until-stopped';

export type NatsState = 'off' | 'connecting' | 'connected' | 'disconnected';

/**
 * The service's own NATS connection for publishing. It never blocks startup: it connects in the
 * background, reconnects forever, and reports its state (health, the relay) instead of failing.
 */
@Injectable()
export class NatsConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connection?: Connection;
  private readonly stopping = new AbortController();
  state: NatsState = 'off';

  constructor(
    @Inject(natsConfig.KEY) private readonly config: ConfigType<typeof natsConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
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

  /**
   * Publishes and waits until the server has them all (a flush): only then are they delivered.
   * nats.js buffers what it is given while disconnected, so nothing is handed over then.
   */
  async publishConfirmed(messages: { subject: string; data: string }[]): Promise<void> {
    const connection = this.connection;
    if (!connection || !this.connected) {
      throw new Error('NATS is not connected');
    }
    for (const { subject, data } of messages) {
      connection.publish(subject, data);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.flush(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('NATS did not confirm in time')),
            this.config.confirmTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connectInBackground(): Promise<void> {
    try {
      const connection = await connectUntilStopped(
        { servers: this.config.servers, name: this.app.instanceId },
        this.stopping.signal,
        NATS_RETRY_MS,
        (error, attempt) => {
          if (attempt === 1) {
            this.logger.warn(
              `NATS not reachable yet (${String(error)}); trying every ${NATS_RETRY_MS} ms`,
            );
          }
        },
      );
      this.connection = connection;
      this.state = 'connected';
      this.logger.log(`connected to ${connection.getServer()}`);
      for await (const status of connection.status()) {
        if (status.type === Events.Disconnect) {
          this.state = 'disconnected';
          this.logger.warn('disconnected from NATS; reconnecting');
        } else if (status.type === Events.Reconnect) {
          this.state = 'connected';
          this.logger.log('reconnected to NATS');
        }
      }
    } catch (error) {
      if (error instanceof StoppedBeforeConnect) {
        return;
      }
      this.state = 'disconnected';
      this.logger.error(`NATS connection ended: ${String(error)}`);
    }
  }
}
