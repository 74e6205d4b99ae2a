/** mulberry32: a tiny seeded PRNG, enough to vary generated cases reproducibly. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON text nested `depth` levels deep: objects and arrays alternating. */
export function nestedJson(depth: number, leaf = '1'): string {
  let text = leaf;
  for (let level = 0; level < depth; level++) {
    text = level % 2 === 0 ? `[${text}]` : `{"a":${text}}`;
  }
  return text;
}
