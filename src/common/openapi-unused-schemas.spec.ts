import type { OpenAPIObject } from '@nestjs/swagger';
import { removeUnusedSchemas } from './openapi-unused-schemas';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('removeUnusedSchemas', () => {
  it('keeps what paths and other components refer to, directly or through other schemas', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: ref('A') } } },
            },
          },
        },
      },
      components: {
        schemas: {
          A: { type: 'object', properties: { b: ref('B') } },
          B: { type: 'array', items: { anyOf: [ref('C')] } },
          C: { type: 'object' },
          FromResponse: { type: 'object' },
          Unused: { type: 'object', properties: { a: ref('A') } },
          AlsoUnused: { type: 'object' },
        },
        responses: {
          Error: {
            description: 'e',
            content: { 'application/json': { schema: ref('FromResponse') } },
          },
        },
      },
    } as unknown as OpenAPIObject;
    removeUnusedSchemas(document);
    expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual([
      'A',
      'B',
      'C',
      'FromResponse',
    ]);
  });
});
