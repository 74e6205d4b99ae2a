import { DomainError } from '../common/domain-error';
import { MAX_EXTERNAL_IDS, parseExternalIds } from './external-ids';

const problems = (body: unknown, query?: unknown): unknown => {
  try {
    parseExternalIds(body, query);
  } catch (error) {
    return (error as DomainError).details?.message;
  }
  throw new Error('expected a DomainError');
};

describe('parseExternalIds', () => {
  it('reads the object form, the bare array and the query, keeping the first of duplicates', () => {
    expect(parseExternalIds({ external_ids: [2, '1', 2] }, undefined)).toEqual(['2', '1']);
    expect(parseExternalIds([3, 'a_b-C'], undefined)).toEqual(['3', 'a_b-C']);
    expect(parseExternalIds({}, ['4', '5'])).toEqual(['4', '5']);
    expect(parseExternalIds(undefined, '6')).toEqual(['6']);
  });

  it('names each bad id by its index', () => {
    expect(problems([1, '../x', 2, -4])).toEqual([
      'external_ids[1] must be a positive integer or 1 to 64 letters, digits, _ or - (got "../x")',
      'external_ids[3] must be a positive integer or 1 to 64 letters, digits, _ or - (got -4)',
    ]);
  });

  it('refuses a query id that could change the upstream URL', () => {
    expect(problems(undefined, ['1', '1/../../admin'])).toEqual([
      expect.stringContaining('external_ids[1]'),
    ]);
  });
});

describe('parseExternalIds: the shape of the request', () => {
  it('takes the body over the query, and reads a single query id', () => {
    expect(parseExternalIds([1], ['2'])).toEqual(['1']);
    expect(parseExternalIds({ external_ids: ['x'] }, '2')).toEqual(['x']);
  });

  it('refuses a body that is not the object form or an array', () => {
    expect(problems('1')).toEqual(['body must be {"external_ids": [...]} or an array of ids']);
    expect(problems(null)).toEqual(['body must be {"external_ids": [...]} or an array of ids']);
  });

  it('refuses other properties and an external_ids that is not an array', () => {
    expect(problems({ external_ids: [1], limit: 2, x: 3 })).toEqual([
      'property limit should not exist',
      'property x should not exist',
    ]);
    expect(problems({ external_ids: '1' })).toEqual(['external_ids must be an array']);
  });

  it('asks for ids when there are none anywhere', () => {
    expect(problems(undefined)).toEqual([
      'give the ids as {"external_ids": [...]}, a JSON array, or ?external_id=1&external_id=2',
    ]);
    expect(problems({})).toHaveLength(1);
  });

  it('takes 1 to MAX_EXTERNAL_IDS ids', () => {
    const max = Array.from({ length: MAX_EXTERNAL_IDS }, (_, i) => i + 1);
    expect(parseExternalIds(max, undefined)).toHaveLength(MAX_EXTERNAL_IDS);
    expect(problems([])).toEqual(['external_ids must hold 1 to 1000 ids (got 0)']);
    expect(problems([...max, 1001])).toEqual(['external_ids must hold 1 to 1000 ids (got 1001)']);
  });

  it('refuses zero, fractions, unsafe integers and ids longer than 64 characters', () => {
    expect(problems([0, 1.5, 2 ** 53, 'a'.repeat(65), 'a'.repeat(64)])).toEqual([
      expect.stringContaining('external_ids[0]'),
      expect.stringContaining('external_ids[1]'),
      expect.stringContaining('external_ids[2]'),
      expect.stringContaining('external_ids[3]'),
    ]);
  });

  it('names at most 20 bad ids', () => {
    expect(problems(Array.from({ length: 30 }, () => -1))).toHaveLength(20);
  });
});
