import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** TRUST_PROXY as parsed (src/config/trust-proxy.ts): a hop count, addresses and ranges, or off. */
export type TrustProxy = number | string[] | undefined;

/** What the cross-cutting HTTP layer is configured with. */
export interface HttpSetup {
  cors: CorsOptions | undefined;
  bodyLimit: string;
  trustProxy: TrustProxy;
}
