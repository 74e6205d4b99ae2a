import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeys } from 'nats';

export interface TestCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/**
 * A throwaway CA, a server certificate for 127.0.0.1 and a client certificate it signed, made
 * with openssl into `dir` (PEM files; P-256 keys, valid for a day).
 */
export function makeCertificates(dir: string): TestCertificates {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...key,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=test CA',
  );
  const issue = (name: string, extensions: string) => {
    openssl(
      'req',
      ...key,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    );
    writeFileSync(at(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      at(`${name}.ext`),
    );
  };
  issue('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
  };
}

type KeyPair = ReturnType<typeof nkeys.createUser>;

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** A JWT as nsc writes one: ed25519-nkey over `header.claims`, signed by the issuer's key. */
function signJwt(issuer: KeyPair, subject: string, name: string, nats: object): string {
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' })).toString(
    'base64url',
  );
  const claims: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1000),
    iss: text(issuer.getPublicKey()),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  };
  claims.jti = createHash('sha256').update(JSON.stringify(claims)).digest('hex').toUpperCase();
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = Buffer.from(issuer.sign(Buffer.from(`${header}.${body}`))).toString(
    'base64url',
  );
  return `${header}.${body}.${signature}`;
}

export interface TestOperator {
  /** For TestNatsServer's `auth`. */
  server: { operatorJwt: string; accounts: Record<string, string> };
  /** A user's creds file (its JWT and NKey seed), as `nsc generate creds` writes it. */
  credsFile: string;
}

/**
 * Operator mode without nsc: an operator, an account it signed, and a user of that account with
 * a creds file in `dir`, all made with the nkeys nats.js ships.
 */
export function makeOperator(dir: string): TestOperator {
  const operator = nkeys.createOperator();
  const account = nkeys.createAccount();
  const user = nkeys.createUser();
  const operatorPublic = text(operator.getPublicKey());
  const accountPublic = text(account.getPublicKey());
  const unlimited = { subs: -1, data: -1, payload: -1 };
  const operatorJwt = signJwt(operator, operatorPublic, 'test-operator', { type: 'operator' });
  const accountJwt = signJwt(operator, accountPublic, 'test-account', {
    type: 'account',
    limits: { ...unlimited, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 },
    default_permissions: { pub: {}, sub: {} },
  });
  const userJwt = signJwt(account, text(user.getPublicKey()), 'app', {
    type: 'user',
    pub: {},
    sub: {},
    ...unlimited,
  });
  const credsFile = join(dir, 'app.creds');
  writeFileSync(
    credsFile,
    [
      '-----BEGIN NATS USER JWT-----',
      userJwt,
      '------END NATS USER JWT------',
      '',
      '-----BEGIN USER NKEY SEED-----',
      text(user.getSeed()),
      '------END USER NKEY SEED------',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { server: { operatorJwt, accounts: { [accountPublic]: accountJwt } }, credsFile };
}
