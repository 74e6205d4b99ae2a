import { EventCatalog } from '../events/event-catalog.service';
import { MAX_REMOTE_EVENT_BYTES, RemoteEnvelopeCheck } from './remote-envelope.check';

/** The parts of the catalog the check reads: one event with a $ref'd payload, one frame. */
const DOCUMENT = {
  components: {
    schemas: {
      ProductDto: {
        type: 'object',
        required: ['id', 'price'],
        properties: { id: { type: 'integer' }, price: { type: 'number' } },
      },
    },
    messages: {
      'product.updated': {
        payload: {
          type: 'object',
          required: ['id', 'seq', 'event', 'payload', 'ts', 'origin'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', format: 'uuid' },
            seq: { type: 'integer', minimum: 1 },
            event: { type: 'string', const: 'product.updated' },
            payload: { $ref: '#/components/schemas/ProductDto' },
            ts: { type: 'string', format: 'date-time' },
            origin: { type: 'string' },
          },
        },
      },
      welcome: { payload: { type: 'object', properties: { event: { const: 'welcome' } } } },
    },
  },
};

const valid = {
  id: '0b8f9e3c-5d2a-4f61-9c7e-1a2b3c4d5e6f',
  seq: 7,
  event: 'product.updated',
  payload: { id: 1, price: 2.5 },
  ts: '2026-11-23T10:00:00.000Z',
  origin: 'other',
};

const bytes = (value: unknown): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('RemoteEnvelopeCheck', () => {
  const check = new RemoteEnvelopeCheck({ document: () => DOCUMENT } as unknown as EventCatalog);

  it('passes an envelope that matches its event schema, giving its seq', () => {
    expect(check.check(bytes(valid))).toEqual({ seq: 7 });
  });

  it.each([
    ['a payload of the wrong type', { ...valid, payload: { id: 1, price: 'abc' } }, 'schema'],
    ['a payload field missing', { ...valid, payload: { id: 1 } }, 'schema'],
    ['an extra envelope field', { ...valid, data: {} }, 'schema'],
    ['a seq of 0', { ...valid, seq: 0 }, 'schema'],
    ['an id that is no uuid', { ...valid, id: 'x' }, 'schema'],
    ['a ts that is no date', { ...valid, ts: 'yesterday' }, 'schema'],
    ['an event not in the catalog', { ...valid, event: 'product.stolen' }, 'unknown_event'],
    ['a WebSocket frame name', { ...valid, event: 'welcome' }, 'unknown_event'],
    ['an inherited property name', { ...valid, event: 'constructor' }, 'unknown_event'],
    ['no event name', { ...valid, event: undefined }, 'unknown_event'],
    ['text that is not JSON', '{"seq": 1', 'malformed'],
    ['JSON that is no object', '[1,2]', 'malformed'],
    ['null', 'null', 'malformed'],
  ])('drops %s', (_, message, reason) => {
    expect(check.check(bytes(message))).toMatchObject({ dropped: reason });
  });

  it('drops a message over 256 KiB without reading it', () => {
    const big = new Uint8Array(MAX_REMOTE_EVENT_BYTES + 1).fill(0x20);
    expect(check.check(big)).toEqual({ dropped: 'oversized', why: `${big.byteLength} bytes` });
  });
});
