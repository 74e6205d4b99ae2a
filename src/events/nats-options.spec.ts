import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator, nkeys } from 'nats';
import { natsConnectOptions } from './nats-options';

type Config = Parameters<typeof natsConnectOptions>[0];

const config = (auth: Partial<Config['auth']> = {}, tls: Partial<Config['tls']> = {}): Config => ({
  servers: ['nats://127.0.0.1:4222'],
  confirmTimeoutMs: 2000,
  auth: { user: undefined, password: undefined, token: undefined, credsFile: undefined, ...auth },
  tls: { caFile: undefined, certFile: undefined, keyFile: undefined, ...tls },
});

describe('natsConnectOptions', () => {
  it('passes no credentials and no TLS when none are set', () => {
    expect(natsConnectOptions(config())).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });

  it('maps user and password, a token, and TLS files to nats.js options', () => {
    expect(natsConnectOptions(config({ user: 'app', password: 'pw' }))).toMatchObject({
      user: 'app',
      pass: 'pw',
    });
    expect(natsConnectOptions(config({ token: 't' }))).toMatchObject({ token: 't' });
    expect(
      natsConnectOptions(config({}, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/c.key' })),
    ).toMatchObject({ tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/c.key' } });
  });

  it('builds a creds authenticator from the file, read once: it signs the server nonce with the seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creds-'));
    try {
      const user = nkeys.createUser();
      const file = join(dir, 'app.creds');
      const seed = Buffer.from(user.getSeed()).toString();
      writeFileSync(
        file,
        `-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.x\n------END NATS USER JWT------\n\n` +
          `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`,
      );
      const options = natsConnectOptions(config({ credsFile: file }));
      rmSync(file);
      const authenticator = options.authenticator as Authenticator;
      const answer = authenticator('nonce-1') as { jwt: string; sig: string };
      expect(answer.jwt).toBe('eyJ0eXAiOiJKV1QifQ.e30.x');
      const signature = Buffer.from(answer.sig, 'base64url');
      expect(user.verify(Buffer.from('nonce-1'), signature)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
