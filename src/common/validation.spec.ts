import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { createValidationPipe } from './validation';
import { ValidatedQueries } from './validated-queries';

class SearchQuery {
  @IsString()
  q!: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? Number(value) : value))
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? new Date(value) : value,
  )
  @IsDate()
  since?: Date;
}

const query: ArgumentMetadata = { type: 'query', metatype: SearchQuery };

describe('the validation pipe on queries', () => {
  it('answers a query seen before with its own copy of the same instance', async () => {
    const pipe = createValidationPipe();
    const raw = { q: 'tea', page: '2', since: '2026-11-24T12:00:00Z' };
    const first = (await pipe.transform({ ...raw }, query)) as SearchQuery;
    first.page = 99;
    first.since?.setFullYear(1999);
    const second = (await pipe.transform({ ...raw }, query)) as SearchQuery;

    expect(second).toBeInstanceOf(SearchQuery);
    expect(second).not.toBe(first);
    expect(second).toEqual({ q: 'tea', page: 2, since: new Date('2026-11-24T12:00:00Z') });
  });

  it('refuses a bad query every time, seen before or not', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ q: 'tea', page: '0' }, query)).rejects.toThrow(
        BadRequestException,
      );
      await expect(pipe.transform({ q: 'tea', extra: 'x' }, query)).rejects.toThrow(
        BadRequestException,
      );
    }
  });

  it('validates a query that is not flat (a repeated key) again each time', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ q: ['a', 'b'] }, query)).rejects.toMatchObject({
        response: { message: ['q must be a string'] },
      });
    }
  });
});

describe('ValidatedQueries', () => {
  it('keys only flat queries, by their text', () => {
    const queries = new ValidatedQueries();
    expect(queries.keyOf({ a: '1', b: 'x' })).toBe('{"a":"1","b":"x"}');
    expect(queries.keyOf({ a: ['1', '2'] })).toBeUndefined();
    expect(queries.keyOf({ a: { b: '1' } })).toBeUndefined();
    expect(queries.keyOf(undefined)).toBeUndefined();
  });

  it('keeps the most recently used queries of each class, up to its bound', () => {
    const queries = new ValidatedQueries(2);
    queries.set(SearchQuery, 'a', { q: 'a' });
    queries.set(SearchQuery, 'b', { q: 'b' });
    queries.get(SearchQuery, 'a');
    queries.set(SearchQuery, 'c', { q: 'c' });

    expect(queries.get(SearchQuery, 'a')).toEqual({ q: 'a' });
    expect(queries.get(SearchQuery, 'b')).toBeUndefined();
    expect(queries.get(SearchQuery, 'c')).toEqual({ q: 'c' });
    expect(queries.get(class Other {}, 'a')).toBeUndefined();
  });

  it('does not keep an instance holding an object it could not copy', () => {
    const queries = new ValidatedQueries();
    queries.set(SearchQuery, 'nested', { q: 'x', filter: { price: 1 } });
    queries.set(SearchQuery, 'list', { q: 'x', tags: ['a', 'b'] });

    expect(queries.get(SearchQuery, 'nested')).toBeUndefined();
    expect(queries.get(SearchQuery, 'list')).toEqual({ q: 'x', tags: ['a', 'b'] });
  });
});
