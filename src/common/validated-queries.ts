/** Query strings validated per DTO class and kept: the most recently used ones. */
export const VALIDATED_QUERIES_KEPT = 1000;

type Field = string | number | boolean | bigint | null | undefined | Date | Primitive[];
type Primitive = string | number | boolean | null;

const isPrimitive = (value: unknown): value is Primitive =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** A field a copy can own: a primitive, a Date, or an array of primitives. */
function isCopyable(value: unknown): value is Field {
  return (
    value === undefined ||
    isPrimitive(value) ||
    typeof value === 'bigint' ||
    value instanceof Date ||
    (Array.isArray(value) && value.every(isPrimitive))
  );
}

function copyOf(validated: object): object {
  const copy = Object.create(Object.getPrototypeOf(validated) as object | null) as Record<
    string,
    Field
  >;
  for (const [key, value] of Object.entries(validated) as [string, Field][]) {
    copy[key] = value instanceof Date ? new Date(value) : Array.isArray(value) ? [...value] : value;
  }
  return copy;
}

/**
 * The outcome of validating a query DTO depends on nothing but the query's text and the DTO's
 * class, and clients repeat their queries (a page polled, a conversion box refreshed). So a
 * query seen before skips class-transformer and class-validator (~50 µs of a request in the
 * app): each caller gets its own copy of the instance validated the first time. Only flat
 * queries (every value one string) are kept, and only while their instance holds primitives,
 * dates and arrays of primitives; refused queries are not kept (an error is the rare path).
 */
export class ValidatedQueries {
  private readonly byClass = new Map<unknown, Map<string, object>>();

  constructor(private readonly kept = VALIDATED_QUERIES_KEPT) {}

  /** The text a query is known by, or undefined when it is not flat. */
  keyOf(query: unknown): string | undefined {
    if (typeof query !== 'object' || query === null) {
      return undefined;
    }
    const values = Object.values(query);
    return values.every((value) => typeof value === 'string') ? JSON.stringify(query) : undefined;
  }

  /** A copy of what `key` validated to for `dto`, if it is still kept. */
  get(dto: unknown, key: string): object | undefined {
    const kept = this.byClass.get(dto);
    const validated = kept?.get(key);
    if (!kept || !validated) {
      return undefined;
    }
    // the most recently used last: the first in the map is the next to go
    kept.delete(key);
    kept.set(key, validated);
    return copyOf(validated);
  }

  set(dto: unknown, key: string, validated: unknown): void {
    if (
      typeof validated !== 'object' ||
      validated === null ||
      !Object.values(validated).every(isCopyable)
    ) {
      return;
    }
    let kept = this.byClass.get(dto);
    if (!kept) {
      kept = new Map();
      this.byClass.set(dto, kept);
    }
    kept.set(key, copyOf(validated));
    if (kept.size > this.kept) {
      kept.delete(kept.keys().next().value as string);
    }
  }
}
