import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { EventStreamOptions, SseConnection } from './sse-connection';

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  writeHead = () => this;
  flushHeaders = () => undefined;
  write = (chunk: string) => this.chunks.push(chunk) > 0;
  end = () => (this.writableEnded = true);
  destroy = () => (this.destroyed = true);
}

describe('SseConnection', () => {
  const options = new EventStreamOptions();
  const open = () => {
    const res = new FakeResponse();
    const conn = new SseConnection(res as unknown as ServerResponse, options);
    conn.start('e');
    return { res, conn };
  };

  it('keeps the stream alive with a comment every 15 s, carrying the position past filtered events', () => {
    jest.useFakeTimers();
    try {
      const { res, conn } = open();
      expect(options.keepAliveMs).toBe(15_000);
      jest.advanceTimersByTime(options.keepAliveMs - 1);
      expect(res.chunks).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(res.chunks).toEqual([': keep-alive\n\n']);
      conn.send(4, 'item.created', '{}');
      conn.covered = 6; // 5 and 6 were filtered out
      jest.advanceTimersByTime(options.keepAliveMs);
      expect(res.chunks.slice(1)).toEqual([
        'id: 4\nevent: item.created\ndata: {}\n\n',
        ': keep-alive\nid: 6\n\n',
      ]);
      jest.advanceTimersByTime(options.keepAliveMs);
      expect(res.chunks[3]).toBe(': keep-alive\n\n');
      conn.end();
      jest.advanceTimersByTime(options.keepAliveMs);
      expect(res.chunks).toHaveLength(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it('cuts a client too far behind on a live event, and tells its listeners once', () => {
    const { res, conn } = open();
    const closed = jest.fn();
    conn.onClose(closed);
    res.writableLength = options.maxBufferedBytes + 1;
    conn.sendLive(1, 'item.created', '{}');
    expect(res.chunks).toEqual([]);
    expect(res.destroyed).toBe(true);
    res.emit('close');
    expect(closed).toHaveBeenCalledTimes(1);
  });
});
