import {
  ApiError,
  DiscardPolicy,
  ErrorCode,
  JetStreamClient,
  JSONCodec,
  Msg,
  NatsConnection as Connection,
  NatsError,
  nanos,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from 'nats';

/** What the stream keeps: the event store's own retention. */
export interface StreamLimits {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  maxMessages: number;
}

/** A repeat of an envelope within this window is dropped by the stream (`Nats-Msg-Id`). */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Creates the stream, or brings an existing one to these limits; undefined when the server has
 * no JetStream (then the service publishes with core NATS only).
 */
export async function ensureStream(
  connection: Connection,
  limits: StreamLimits,
): Promise<JetStreamClient | undefined> {
  let manager;
  try {
    manager = await connection.jetstreamManager();
  } catch (error) {
    if (error instanceof NatsError && (error.code as ErrorCode) === ErrorCode.NoResponders) {
      return undefined;
    }
    throw error;
  }
  // what an existing stream is brought to; its storage (which a stream cannot change) and any
  // other setting of the operator's stay as they are
  const config: Partial<StreamConfig> = {
    subjects: limits.subjects,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(limits.maxAgeMs),
    max_msgs: limits.maxMessages,
    duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, limits.maxAgeMs)),
  };
  const exists = await manager.streams.info(limits.name).then(
    () => true,
    (error: unknown) => {
      if (error instanceof NatsError && error.api_error?.err_code === 10059) {
        return false;
      }
      throw error;
    },
  );
  await (exists
    ? manager.streams.update(limits.name, config)
    : manager.streams.add({ ...config, name: limits.name, storage: StorageType.File }));
  return connection.jetstream();
}

/** A message the stream refused for good (too large, invalid): retrying cannot help. */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof NatsError)) {
    return false;
  }
  if ((error.code as ErrorCode) === ErrorCode.MaxPayloadExceeded) {
    return true;
  }
  const status = error.api_error?.code;
  return status !== undefined && status >= 400 && status < 500 && status !== 408;
}

/**
 * The stream may be gone: no one took the message (no responders; or no answer in time, when
 * core subscribers but no stream listen), or the answer was no stream's ack (a core subscriber
 * replied first). Checking costs one request; a stream deleted under a live connection is
 * found at the next publish instead of the next reconnect.
 */
export function isStreamGone(error: unknown): boolean {
  if (error === undefined) {
    return false;
  }
  if (!(error instanceof NatsError)) {
    return true; // the client could not read the answer as an ack
  }
  const code = error.code as ErrorCode;
  return [ErrorCode.NoResponders, ErrorCode.Timeout, ErrorCode.JetStreamInvalidAck].includes(code);
}

interface StreamAnswer {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: ApiError;
}

const answers = JSONCodec<StreamAnswer>();

/** What the stream answered to one publish: nothing when it stored it (or dropped a repeat). */
export function ackError(reply: Msg): NatsError | undefined {
  if (reply.data.length === 0 && reply.headers?.code === 503) {
    return NatsError.errorForCode(ErrorCode.NoResponders);
  }
  const answer = answers.decode(reply.data);
  if (answer.error) {
    // as the client's JetStreamClient.publish raises it: isRefusal reads api_error
    const refused = new NatsError(answer.error.description, String(answer.error.code));
    refused.api_error = answer.error;
    return refused;
  }
  return answer.stream ? undefined : NatsError.errorForCode(ErrorCode.JetStreamInvalidAck);
}
