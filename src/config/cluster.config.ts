import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

/** Sharing work between instances on one database. */
export const clusterConfig = registerAs('cluster', () => ({
  /** A lease not renewed for this long is free: another instance may take over. */
  leaseTtlMs: validateEnv(process.env).LEASE_TTL_MS,
}));
