import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import { emptyToUndefined, Secret } from './setting-decorators';

/** Where the data lives. */
export class DatabaseSettings {
  /** May carry a password (postgres://user:password@…): never shown in an error. */
  @Secret()
  @Transform(emptyToUndefined)
  @Matches(/^(sqlite:.*|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or postgres://user@host:port/db',
  })
  DATABASE_URL = 'sqlite:./data/app.db';
}
