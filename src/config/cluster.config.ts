import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

/** Sharing work between instances on one database. */
export const clusterConfig = registerAs('cluster', () => ({
  /** A lease not renewed for this long is free: another instance may take over. */
  leaseTtlMs: validatedEnv().LEASE_TTL_MS,
}));
