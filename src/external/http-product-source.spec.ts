import { PROVIDERS } from './http-product-source';

const { dummyjson, jsonplaceholder } = PROVIDERS;

describe('upstream product mapping', () => {
  it('removes control characters from the title, and all but tab and line feed from the description', () => {
    expect(
      dummyjson.map('7', {
        title: 'Bad\u0000 \u0007tit\u007fle\u009f',
        description: 'line 1\n\tline 2\r\n\u0000\u001b[0m',
        price: 2,
      }),
    ).toEqual({
      externalId: '7',
      name: 'Bad title',
      description: 'line 1\n\tline 2\n[0m',
      price: 2,
    });
    expect(jsonplaceholder.map('7', { title: 'Post\u0085', body: 'a\u0000b' })).toEqual({
      externalId: '7',
      name: 'Post',
      description: 'ab',
      price: 0,
    });
  });

  it('refuses a title that is empty or over 255 characters once cleaned, with the reason', () => {
    expect(dummyjson.map('7', { title: '\u0000\u0007\u007f\u009f', price: 1 })).toBe(
      'upstream title is empty once control characters are removed',
    );
    expect(dummyjson.map('7', { title: '', price: 1 })).toBe(
      'upstream title is empty once control characters are removed',
    );
    expect(dummyjson.map('7', { title: 'x'.repeat(256), price: 1 })).toBe(
      'upstream title is 256 characters long once control characters are removed (at most 255)',
    );
    expect(jsonplaceholder.map('7', { title: '\u0000' })).toContain('empty');
  });

  it('counts characters, not UTF-16 units, and control characters do not count', () => {
    const name = '😀'.repeat(255);
    expect(dummyjson.map('7', { title: `${name}\u0000\u0000`, price: 1 })).toMatchObject({ name });
  });

  it('cuts a long description to 5000 characters, without splitting a pair', () => {
    const mapped = dummyjson.map('7', { title: 't', description: '😀'.repeat(6000), price: 1 });
    expect(typeof mapped === 'object' && Array.from(mapped.description)).toHaveLength(5000);
  });

  it('still refuses a body of the wrong shape', () => {
    expect(dummyjson.map('7', { title: 1, price: 1 })).toContain('wrong shape');
    expect(dummyjson.map('7', { title: 't', price: -1 })).toContain('wrong shape');
    expect(jsonplaceholder.map('7', {})).toContain('wrong shape');
  });
});
