import { Writable } from 'node:stream';
import { createRootLogger } from './log-options';

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
