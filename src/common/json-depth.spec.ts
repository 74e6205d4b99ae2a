import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth';

/** `{"a": {"a": … 1}}`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) {
    value = i % 2 === 0 ? { a: value } : [value];
  }
  return value;
}

describe('nestedDeeperThan', () => {
  it('counts primitives as no level and each object or array as one', () => {
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan(null, 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan([[1]], 1)).toBe(true);
    expect(nestedDeeperThan([[1]], 2)).toBe(false);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(nestedDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(nestedDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('finds the deep branch beside shallow ones', () => {
    expect(nestedDeeperThan({ a: 1, b: [1, 2], c: { d: nested(MAX_JSON_DEPTH) } })).toBe(true);
  });

  it('answers on 100,000 levels without exhausting the stack', () => {
    expect(nestedDeeperThan(nested(100_000))).toBe(true);
  });
});
