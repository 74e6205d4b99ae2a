import { Transform } from 'class-transformer';
import { Matches, ValidateIf } from 'class-validator';
import { MustBeEmptyUnless, ReadableFile } from './nats-setting-rules';
import { emptyToUndefined, Secret } from './setting-decorators';

/** The NATS connection (credentials and TLS, for every connection) and its JetStream stream. */
export class NatsSettings {
  /** Empty means NATS off. */
  @ValidateIf((_, value) => value !== '')
  @Matches(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, {
    message: 'NATS_URL must be empty or nats://host:port[,nats://host:port…]',
  })
  NATS_URL = '';

  /** The JetStream stream over products.updates and items.updates (when the server has JetStream). */
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'NATS_STREAM must match [A-Za-z0-9_-]{1,64}' })
  NATS_STREAM = 'CATALOG_EVENTS';

  /** User and password auth; each needs the other. */
  @MustBeEmptyUnless((s) => s.NATS_PASSWORD !== '', 'NATS_USER needs NATS_PASSWORD')
  NATS_USER = '';

  @Secret()
  @MustBeEmptyUnless((s) => s.NATS_USER !== '', 'NATS_PASSWORD needs NATS_USER')
  NATS_PASSWORD = '';

  /** Token auth: one auth method at a time. */
  @Secret()
  @MustBeEmptyUnless(
    (s) => s.NATS_USER === '',
    'NATS_TOKEN and NATS_USER are two auth methods: set one',
  )
  NATS_TOKEN = '';

  /** A JWT/NKey credentials file (`nsc generate creds`): one auth method at a time. */
  @MustBeEmptyUnless(
    (s) => s.NATS_USER === '' && s.NATS_TOKEN === '',
    'NATS_CREDS_FILE is an auth method of its own: set it without NATS_USER or NATS_TOKEN',
  )
  @ReadableFile('NATS_CREDS_FILE')
  NATS_CREDS_FILE = '';

  /** The CA that signed the server's certificate (PEM); the system's CAs when empty. */
  @ReadableFile('NATS_TLS_CA_FILE')
  NATS_TLS_CA_FILE = '';

  /** A client certificate (PEM), for servers that verify clients; needs NATS_TLS_KEY_FILE. */
  @MustBeEmptyUnless(
    (s) => s.NATS_TLS_KEY_FILE !== '',
    'NATS_TLS_CERT_FILE needs NATS_TLS_KEY_FILE',
  )
  @ReadableFile('NATS_TLS_CERT_FILE')
  NATS_TLS_CERT_FILE = '';

  @MustBeEmptyUnless(
    (s) => s.NATS_TLS_CERT_FILE !== '',
    'NATS_TLS_KEY_FILE needs NATS_TLS_CERT_FILE',
  )
  @ReadableFile('NATS_TLS_KEY_FILE')
  NATS_TLS_KEY_FILE = '';
}
