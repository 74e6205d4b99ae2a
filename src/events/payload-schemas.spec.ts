import type { OpenAPIObject } from '@nestjs/swagger';
import { exampleOf, payloadSchemas, toJsonSchema } from './payload-schemas';

const openApi = (schemas: Record<string, unknown>) =>
  ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  }) as OpenAPIObject;

describe('toJsonSchema (Swagger’s OpenAPI 3.0 schemas → JSON Schema)', () => {
  it('turns nullable into a null type and example into examples, leaving property names alone', () => {
    expect(
      toJsonSchema({
        type: 'object',
        properties: {
          example: { type: 'string', nullable: true, example: 'x', enum: ['a', 'b'] },
          list: { type: 'array', items: { type: 'integer', example: 1 } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        example: { type: ['string', 'null'], enum: ['a', 'b', null], examples: ['x'] },
        list: { type: 'array', items: { type: 'integer', examples: [1] } },
      },
    });
  });

  it('keeps a null example', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, example: null })).toEqual({
      type: ['string', 'null'],
      examples: [null],
    });
  });
});

describe('payloadSchemas', () => {
  it('takes the named schemas and every schema they refer to, and no other', () => {
    const schemas = payloadSchemas(
      openApi({
        A: {
          type: 'object',
          properties: { b: { type: 'array', items: { $ref: '#/components/schemas/B' } } },
        },
        B: { type: 'object', properties: { n: { type: 'number', example: 2 } } },
        Unused: { type: 'string' },
      }),
      ['A'],
    );
    expect(Object.keys(schemas).sort()).toEqual(['A', 'B']);
    expect(exampleOf({ $ref: '#/components/schemas/A' }, schemas)).toEqual({ b: [{ n: 2 }] });
  });

  it('refuses to build without a payload schema (Swagger extraModels forgotten)', () => {
    expect(() => payloadSchemas(openApi({}), ['ADto'])).toThrow(/schema ADto is missing/);
  });
});
