import { characterCount, truncateCharacters, withoutControlCharacters } from '../common/text';
import { UpstreamError } from './upstream-error';
import { ExternalProduct, EXTERNAL_ID_PATTERN, ProductSource } from './product-source';
import { UpstreamHttp } from './upstream-http';

type Mapper = (externalId: string, body: Record<string, unknown>) => ExternalProduct | string;

/** A provider: where a product lives and how its body maps to ours (a string: why it cannot). */
interface ProviderShape {
  path: (encodedId: string) => string;
  map: Mapper;
}

/** The limits a client's product has too (CreateProductDto). */
const NAME_MAX = 255;
const DESCRIPTION_MAX = 5000;

const wrongShape = (expected: string) => `upstream body has the wrong shape: expected ${expected}`;

/**
 * Upstream text under the client's rules: control characters are removed (tab and line breaks
 * kept in the description), and a name that is then empty or too long makes the product
 * unusable (a string: why), rather than something to store cut or to fail a whole batch with.
 */
export function upstreamText(
  title: string,
  description: unknown,
): { name: string; description: string } | string {
  const name = withoutControlCharacters(title);
  if (name === '') {
    return 'upstream title is empty once control characters are removed';
  }
  const length = characterCount(name);
  if (length > NAME_MAX) {
    return `upstream title is ${length} characters long once control characters are removed (at most ${NAME_MAX})`;
  }
  return {
    name,
    description:
      typeof description === 'string'
        ? truncateCharacters(
            withoutControlCharacters(description, { multiLine: true }),
            DESCRIPTION_MAX,
          )
        : '',
  };
}

export const PROVIDERS: Record<'dummyjson' | 'jsonplaceholder', ProviderShape> = {
  dummyjson: {
    path: (id) => `/products/${id}`,
    map: (externalId, body) => {
      const price = body.price;
      if (
        typeof body.title !== 'string' ||
        typeof price !== 'number' ||
        !Number.isFinite(price) ||
        price < 0
      ) {
        return wrongShape('a string title and a non-negative number price');
      }
      const text = upstreamText(body.title, body.description);
      return typeof text === 'string' ? text : { externalId, ...text, price };
    },
  },
  jsonplaceholder: {
    path: (id) => `/posts/${id}`,
    map: (externalId, body) => {
      if (typeof body.title !== 'string') {
        return wrongShape('a string title');
      }
      const text = upstreamText(body.title, body.body);
      // that API has no prices
      return typeof text === 'string' ? text : { externalId, ...text, price: 0 };
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
      throw new UpstreamError('bad_body', mapped, status);
    }
    return mapped;
  }

  circuitOpenFor(): number | undefined {
    return this.http.circuitOpenFor(this.baseUrl);
  }
}
