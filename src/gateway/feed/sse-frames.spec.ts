import { eventNameOf, parseLastEventId, sseComment, sseEvent } from './sse-frames';

describe('Server-Sent Events frames', () => {
  it('writes id, event and data, ended by a blank line', () => {
    expect(sseEvent(42, 'item.updated', '{"a":1}')).toBe(
      'id: 42\nevent: item.updated\ndata: {"a":1}\n\n',
    );
    expect(sseEvent(undefined, 'resync', '{}')).toBe('event: resync\ndata: {}\n\n');
  });

  it('splits data with line breaks into one data line each, so no line ends the field early', () => {
    expect(sseEvent(1, 'x', 'a\nb\r\nc\rd')).toBe(
      'id: 1\nevent: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n',
    );
  });

  it('writes a comment, with an id line when the position moved past filtered events', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseComment('keep-alive', 7)).toBe(': keep-alive\nid: 7\n\n');
  });

  it('reads the event name off a stored envelope, and parses what does not start as the writer writes', () => {
    const envelope = {
      id: '5b0c7f8e-2d7a-4c1e-9f51-0a8d3c2b1e77',
      seq: 3,
      event: 'rates.synced',
      payload: { event: 'no' },
    };
    expect(eventNameOf(JSON.stringify(envelope))).toBe('rates.synced');
    expect(eventNameOf('{"seq":3,"payload":{"event":"no"},"event":"job.started"}')).toBe(
      'job.started',
    );
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    [' ', undefined],
    ['0', 0],
    ['41', 41],
    [['12', '13'], 12],
    ['-1', null],
    ['1.5', null],
    ['abc', null],
    ['99999999999999999', null],
  ])('takes Last-Event-ID %j as %j', (header, position) => {
    expect(parseLastEventId(header)).toBe(position);
  });
});
