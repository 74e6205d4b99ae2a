import { NatsConnection as Connection } from 'nats';
import { isRefusal } from './jetstream';

/** One stored event on its way to NATS. */
export interface OutgoingEvent {
  seq: number;
  subject: string;
  data: string;
  /** The envelope's id: the stream drops a repeat of it (`Nats-Msg-Id`). */
  msgId: string;
}

/** What a publish did: the positions NATS took, the ones it refused for good, and why. */
export interface PublishOutcome {
  published: number[];
  refused: { seq: number; reason: string }[];
  /** Set when publishing stopped on a fault worth retrying (the rest were not taken). */
  error?: Error;
}

/** Core NATS: the client refuses a message at once (too large), the flush confirms the rest. */
export async function publishCore(
  connection: Connection,
  messages: OutgoingEvent[],
  confirmTimeoutMs: number,
): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { published: [], refused: [] };
  const handed: number[] = [];
  for (const { seq, subject, data } of messages) {
    try {
      connection.publish(subject, data);
      handed.push(seq);
    } catch (error) {
      if (!isRefusal(error)) {
        outcome.error = asError(error);
        break;
      }
      outcome.refused.push({ seq, reason: String(error) });
    }
  }
  const unconfirmed = await confirm(connection.flush(), confirmTimeoutMs);
  if (unconfirmed) {
    outcome.error ??= unconfirmed;
  } else {
    outcome.published = handed;
  }
  return outcome;
}

async function confirm(flushed: Promise<void>, timeoutMs: number): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      flushed,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('NATS did not confirm in time')), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (error) {
    return asError(error);
  } finally {
    clearTimeout(timer);
  }
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
