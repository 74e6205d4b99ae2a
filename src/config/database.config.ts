import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

export const databaseConfig = registerAs('database', () => ({
  url: validatedEnv().DATABASE_URL,
}));
