import { Transform } from 'class-transformer';
import { Matches, ValidateIf } from 'class-validator';
import { emptyToUndefined } from './setting-decorators';

/** The NATS connection and its JetStream stream. */
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
}
