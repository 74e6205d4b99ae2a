/**
 * `Promise.all(items.map(fn))` with at most `limit` calls of `fn` pending at once, results in
 * the order of `items`. A call's state (its closure, promises, what it awaits) exists only
 * while it runs, so a page of 200 ids holds a few dozen of them instead of 200.
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, runner));
  return results;
}
