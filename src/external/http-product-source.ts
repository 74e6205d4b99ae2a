import { UpstreamError } from './upstream-error';
import { ExternalProduct, EXTERNAL_ID_PATTERN, ProductSource } from './product-source';
import { UpstreamHttp } from './upstream-http';

type Mapper = (externalId: string, body: Record<string, unknown>) => ExternalProduct | string;

/** A provider: where a product lives and how its body maps to ours (a string = what is wrong). */
interface ProviderShape {
  path: (encodedId: string) => string;
  map: Mapper;
}

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' ? value.slice(0, max) : undefined;

export const PROVIDERS: Record<'dummyjson' | 'jsonplaceholder', ProviderShape> = {
  dummyjson: {
    path: (id) => `/products/${id}`,
    map: (externalId, body) => {
      const name = text(body.title, 255);
      const price = body.price;
      if (!name || typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
        return 'expected a string title and a non-negative number price';
      }
      return { externalId, name, description: text(body.description, 5000) ?? '', price };
    },
  },
  jsonplaceholder: {
    path: (id) => `/posts/${id}`,
    map: (externalId, body) => {
      const name = text(body.title, 255);
      if (!name) {
        return 'expected a string title';
      }
      // that API has no prices
      return { externalId, name, description: text(body.body, 5000) ?? '', price: 0 };
    },
  },
};

export class HttpProductSource extends ProductSource {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly baseUrl: string,
    private readonly shape: ProviderShape,
  ) {
    super();
  }

  async fetch(externalId: string): Promise<ExternalProduct | null> {
    // callers validate too; this guard makes it impossible for an id to change the URL's path or query
    if (!EXTERNAL_ID_PATTERN.test(externalId)) {
      throw new UpstreamError(
        'client',
        `refusing unsafe external id ${JSON.stringify(externalId)}`,
      );
    }
    const { status, data } = await this.http.getJson(
      `${this.baseUrl}${this.shape.path(encodeURIComponent(externalId))}`,
    );
    if (status === 404) {
      return null;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new UpstreamError('bad_body', 'upstream body is not a JSON object', status);
    }
    const mapped = this.shape.map(externalId, data as Record<string, unknown>);
    if (typeof mapped === 'string') {
      throw new UpstreamError('bad_body', `upstream body has the wrong shape: ${mapped}`, status);
    }
    return mapped;
  }

  circuitOpenFor(): number | undefined {
    return this.http.circuitOpenFor(this.baseUrl);
  }
}
