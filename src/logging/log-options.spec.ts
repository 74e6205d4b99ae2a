import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { createLoggers, requestLine, RequestLogRequest } from './log-options';

const createRootLogger = (...args: Parameters<typeof createLoggers>) => createLoggers(...args).root;

/** A destination that keeps the lines pino writes. */
function memory(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the root logger', () => {
  it('writes JSON lines with the level as a word and an ISO time', () => {
    const out = memory();
    createRootLogger('info', false, out.stream).info({ context: 'Test', job_id: 'j1' }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', context: 'Test', job_id: 'j1', msg: 'hello' });
    expect(new Date(String(line.time)).toISOString()).toBe(line.time);
  });

  it('keeps lines under LOG_LEVEL out, and writes nothing when silent', () => {
    const out = memory();
    const warnOnly = createRootLogger('warn', false, out.stream);
    warnOnly.info('not shown');
    warnOnly.warn('shown');
    createRootLogger('silent', false, out.stream).error('not shown either');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('redacts keys, tokens and cookies wherever a log object carries them', () => {
    const out = memory();
    createRootLogger('info', false, out.stream).info({
      req: { headers: { authorization: 'Bearer t0ken', 'x-api-key': 'k3y', cookie: 'c00kie' } },
      headers: { authorization: 'Bearer t0ken', 'x-api-key': 'k3y' },
      api_key: 'k3y',
      config: { apiKeys: ['k3y'], password: 'pa55' },
    });
    const text = JSON.stringify(out.lines());
    for (const secret of ['t0ken', 'k3y', 'c00kie', 'pa55']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('redacts credential-like query parameters of any url field', () => {
    const out = memory();
    createRootLogger('info', false, out.stream).info({
      msg: 'upstream call',
      url: 'https://rates.example.com/latest?base=USD&access_key=abc123',
    });
    expect(out.lines()[0].url).toBe(
      'https://rates.example.com/latest?base=USD&access_key=[redacted]',
    );
  });
});

describe('the request line', () => {
  const request = (url: string, headers: Record<string, string> = {}) =>
    ({
      id: 'req-1',
      method: 'GET',
      url,
      headers,
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as RequestLogRequest;
  const response = (statusCode: number, writableFinished = true) =>
    ({ statusCode, writableFinished }) as unknown as ServerResponse;

  it('says what happened in one flat object, an unanswered request as 499 aborted', () => {
    expect(requestLine(request('/products/1'), response(200), 1.23456)).toEqual({
      request_id: 'req-1',
      method: 'GET',
      url: '/products/1',
      status: 200,
      duration_ms: 1.235,
      client: '127.0.0.1',
      outcome: 'ok',
    });
    expect(requestLine(request('/x'), response(404), 1).outcome).toBe('client_error');
    expect(requestLine(request('/x'), response(503), 1).outcome).toBe('server_error');
    expect(requestLine(request('/x'), response(200, false), 1)).toMatchObject({
      status: 499,
      outcome: 'aborted',
    });
  });

  it('is written without the redaction pass, its url still cleaned of credentials', () => {
    const out = memory();
    const { requests } = createLoggers('info', false, out.stream);
    const req = request('/products?api_key=k3y', { 'x-api-key': 'k3y' });
    requests.info(requestLine(req, response(200), 1), 'request completed');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', request_id: 'req-1', msg: 'request completed' });
    expect(line.url).toBe('/products?api_key=[redacted]');
    expect(JSON.stringify(line)).not.toContain('k3y');
  });
});
