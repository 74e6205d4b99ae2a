/** A product as the external API describes it, already mapped to our fields. */
export interface ExternalProduct {
  externalId: string;
  name: string;
  description: string;
  price: number;
}

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The external product API, whichever provider EXTERNAL_API_PROVIDER names. `fetch` resolves
 * null when the upstream does not know the id (404) and throws UpstreamError on any failure.
 */
export abstract class ProductSource {
  abstract fetch(externalId: string): Promise<ExternalProduct | null>;
  /** Seconds until the upstream's circuit breaker closes; undefined when calls may go out. */
  abstract circuitOpenFor(): number | undefined;
}
