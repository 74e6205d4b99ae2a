/**
 * How deep a request body or message may nest. Real inputs are two or three levels deep; a few
 * thousand levels would exhaust class-transformer's recursion (a RangeError, a 500).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects or arrays deeper than `max` (`{}` and `[]` are one
 * level). It stops descending at the limit, so it costs one visit per value of a normal body
 * and never recurses more than `max + 1` frames on a hostile one.
 */
export function nestedDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  if (max === 0) {
    return true;
  }
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => nestedDeeperThan(child, max - 1));
}
