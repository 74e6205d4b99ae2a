import { DomainError } from '../common/domain-error';
import { parseExternalIds } from './external-ids';

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
