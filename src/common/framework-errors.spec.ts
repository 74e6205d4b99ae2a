import { mapFrameworkError } from './framework-errors';

describe('mapFrameworkError', () => {
  it("words body-parser's errors (Express) as the product does", () => {
    expect(
      mapFrameworkError({ status: 400, expose: true, type: 'entity.parse.failed', message: 'x' }),
    ).toEqual({ status: 400, message: 'request body is not valid JSON' });
    expect(
      mapFrameworkError({ status: 413, expose: true, type: 'entity.too.large', message: 'x' }),
    ).toEqual({ status: 413, message: 'request body is larger than the limit' });
  });

  it("words Fastify's errors the same way", () => {
    expect(
      mapFrameworkError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' }),
    ).toEqual({ status: 413, message: 'request body is larger than the limit' });
    expect(mapFrameworkError({ statusCode: 400, code: 'Z_DATA_ERROR', message: 'x' })).toEqual({
      status: 400,
      message: 'request body could not be decompressed',
    });
    expect(
      mapFrameworkError({ statusCode: 400, code: 'FST_ERR_BAD_URL', message: "'/%' is bad" }),
    ).toEqual({ status: 400, message: "'/%' is bad" });
  });

  it('leaves anything else (and any 5xx) to the generic 500', () => {
    expect(mapFrameworkError(new Error('boom'))).toBeUndefined();
    expect(mapFrameworkError({ statusCode: 500, code: 'FST_ERR_X' })).toBeUndefined();
    expect(mapFrameworkError({ status: 400, type: 'entity.parse.failed' })).toBeUndefined();
    expect(mapFrameworkError('text')).toBeUndefined();
  });
});
