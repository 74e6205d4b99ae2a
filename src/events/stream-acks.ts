import { createInbox, ErrorCode, headers, NatsConnection as Connection, NatsError } from 'nats';
import { ackError } from './jetstream';

export interface StreamMessage {
  subject: string;
  data: string;
  /** The stream drops a repeat of this id within its duplicate window (`Nats-Msg-Id`). */
  msgId: string;
}

/**
 * JetStream publishes in batches, each message with the `Nats-Msg-Id` header and a reply subject
 * under one inbox this connection subscribes to once, the batch settled by the stream's acks
 * or one timer: nats.go's PublishAsync. The client's `JetStreamClient.publish` (and its
 * `request`) give each message a promise, a race, a timer and a generator, which V8 promoted
 * out of the young generation by the megabyte during a drain (docs/performance.md).
 */
export class StreamAcks {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<number, (error: Error | undefined) => void>();
  private nextToken = 0;

  constructor(private readonly connection: Connection) {
    connection.subscribe(`${this.inbox}.*`, {
      callback: (error, reply) => {
        if (!error) {
          const token = Number(reply.subject.slice(this.inbox.length + 1));
          this.waiting.get(token)?.(ackError(reply));
        }
      },
    });
  }

  /** For this connection only: a new connection needs its own subscription. */
  serves(connection: Connection): boolean {
    return connection === this.connection;
  }

  /** Each message's outcome, in order: undefined when the stream stored it, else the error. */
  publish(messages: StreamMessage[], timeoutMs: number): Promise<(Error | undefined)[]> {
    return new Promise((resolve) => {
      const outcomes: (Error | undefined)[] = new Array<Error | undefined>(messages.length);
      const settled: boolean[] = new Array<boolean>(messages.length).fill(false);
      const first = this.nextToken;
      this.nextToken += messages.length;
      let left = messages.length;
      const settle = (index: number, error: Error | undefined) => {
        if (settled[index]) {
          return;
        }
        settled[index] = true;
        outcomes[index] = error;
        this.waiting.delete(first + index);
        if (--left === 0) {
          clearTimeout(timer);
          resolve(outcomes);
        }
      };
      const timer = setTimeout(() => {
        for (let index = 0; index < messages.length; index++) {
          settle(index, NatsError.errorForCode(ErrorCode.Timeout));
        }
      }, timeoutMs);
      if (messages.length === 0) {
        clearTimeout(timer);
        resolve(outcomes);
        return;
      }
      messages.forEach((message, index) => {
        this.waiting.set(first + index, (error) => settle(index, error));
        const header = headers();
        header.set('Nats-Msg-Id', message.msgId);
        try {
          this.connection.publish(message.subject, message.data, {
            reply: `${this.inbox}.${first + index}`,
            headers: header,
          });
        } catch (error) {
          // refused by the client itself, e.g. over the server's max_payload
          settle(index, error as Error);
        }
      });
    });
  }
}
