import { ApiKeys, presentedKeys } from './api-keys';

describe('ApiKeys', () => {
  const keys = new ApiKeys(['k1', 'a-much-longer-second-key']);

  it('accepts each configured key and nothing else', () => {
    expect(keys.matches('k1')).toBe(true);
    expect(keys.matches('a-much-longer-second-key')).toBe(true);
    for (const wrong of ['', 'k', 'k2', 'k1 ', 'K1', 'k1k1', 'a-much-longer-second-ke']) {
      expect(keys.matches(wrong)).toBe(false);
    }
  });

  it('is disabled without keys, enabled with one', () => {
    expect(new ApiKeys([]).enabled).toBe(false);
    expect(keys.enabled).toBe(true);
  });
});

describe('presentedKeys', () => {
  const from = (headers: Record<string, string>) => presentedKeys((name) => headers[name]);

  it('reads X-API-Key and an Authorization Bearer token', () => {
    expect(from({ 'x-api-key': 'k1' })).toEqual(['k1']);
    expect(from({ authorization: 'Bearer k2' })).toEqual(['k2']);
    expect(from({ authorization: 'bearer   k2 ' })).toEqual(['k2']);
    expect(from({ 'x-api-key': 'k1', authorization: 'Bearer k2' })).toEqual(['k1', 'k2']);
  });

  it('ignores other schemes, empty values and a Bearer with spaces inside', () => {
    expect(from({})).toEqual([]);
    expect(from({ 'x-api-key': '  ' })).toEqual([]);
    expect(from({ authorization: 'Basic azE6' })).toEqual([]);
    expect(from({ authorization: 'Bearer' })).toEqual([]);
    expect(from({ authorization: 'Bearer a b' })).toEqual([]);
  });
});
