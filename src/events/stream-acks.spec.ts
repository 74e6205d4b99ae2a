import { ErrorCode, headers, Msg, NatsConnection, NatsError } from 'nats';
import { StreamAcks } from './stream-acks';

type Callback = (error: NatsError | null, msg: Msg) => void;

/** A connection that records publishes and lets the test answer on the reply subjects. */
function fakeConnection() {
  let callback: Callback | undefined;
  const sent: { subject: string; reply: string; msgId: string | undefined }[] = [];
  const connection = {
    subscribe: (_subject: string, options: { callback: Callback }) => {
      callback = options.callback;
    },
    publish: (
      subject: string,
      data: string,
      options: { reply: string; headers: ReturnType<typeof headers> },
    ) => {
      if (data === 'too big') {
        throw NatsError.errorForCode(ErrorCode.MaxPayloadExceeded);
      }
      sent.push({ subject, reply: options.reply, msgId: options.headers.get('Nats-Msg-Id') });
    },
  } as unknown as NatsConnection;
  const answer = (reply: string, body: unknown, code?: number) =>
    callback?.(null, {
      subject: reply,
      data: new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)),
      headers: code === undefined ? undefined : { code },
    } as unknown as Msg);
  return { connection, sent, answer };
}

const message = (n: number, data = `{"n":${n}}`) => ({
  subject: 'products.updates',
  data,
  msgId: `id-${n}`,
});

describe('StreamAcks', () => {
  it('settles a batch by its acks, in the order of the messages whatever order they come in', async () => {
    const { connection, sent, answer } = fakeConnection();
    const acks = new StreamAcks(connection);
    const outcome = acks.publish([message(1), message(2), message(3)], 1000);
    expect(sent.map((s) => s.msgId)).toEqual(['id-1', 'id-2', 'id-3']);
    answer(sent[2].reply, { stream: 'S', seq: 3 });
    answer(sent[0].reply, { stream: 'S', seq: 1 });
    answer(sent[1].reply, { error: { code: 400, err_code: 10054, description: 'bad' } });
    const errors = await outcome;
    expect(errors[0]).toBeUndefined();
    expect(errors[2]).toBeUndefined();
    expect((errors[1] as NatsError).api_error?.code).toBe(400);
  });

  it('fails what the stream did not answer in time, a missing stream, and what the client refused', async () => {
    const { connection, sent, answer } = fakeConnection();
    const acks = new StreamAcks(connection);
    const outcome = acks.publish([message(1), message(2), message(3, 'too big'), message(4)], 50);
    answer(sent[0].reply, undefined, 503);
    answer(sent[1].reply, { stream: '' });
    const errors = await outcome;
    expect((errors[0] as NatsError).code).toBe(ErrorCode.NoResponders);
    expect((errors[1] as NatsError).code).toBe(ErrorCode.JetStreamInvalidAck);
    expect((errors[2] as NatsError).code).toBe(ErrorCode.MaxPayloadExceeded);
    expect((errors[3] as NatsError).code).toBe(ErrorCode.Timeout);
    // a late ack for a settled batch changes nothing
    answer(sent[2].reply, { stream: 'S', seq: 9 });
    expect((await outcome)[3]).toBeInstanceOf(NatsError);
  });
});
