import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import { emptyToUndefined } from './setting-decorators';

/** Where the data lives. */
export class DatabaseSettings {
  @Transform(emptyToUndefined)
  @Matches(/^(sqlite:.*|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or postgres://user@host:port/db',
  })
  DATABASE_URL = 'sqlite:./data/app.db';
}
