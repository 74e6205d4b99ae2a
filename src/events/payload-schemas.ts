import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { OpenAPIObject } from '@nestjs/swagger';

export type Json = Record<string, unknown>;

export const SCHEMAS = '#/components/schemas/';

/**
 * The named schemas of Swagger's document and everything they refer to, as JSON Schema: a DTO's
 * fields are described once, for REST and events alike.
 */
export function payloadSchemas(openApi: OpenAPIObject, names: readonly string[]): Json {
  const source = (openApi.components?.schemas ?? {}) as Json;
  const out: Json = {};
  const pending = [...new Set(names)];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in out) {
      continue;
    }
    if (!(name in source)) {
      throw new Error(
        `schema ${name} is missing from the OpenAPI document: pass the registry's payloadModels() as Swagger extraModels`,
      );
    }
    out[name] = toJsonSchema(source[name] as Json);
    pending.push(...referencedSchemas(out[name]));
  }
  return out;
}

/**
 * Swagger writes OpenAPI 3.0 schemas, AsyncAPI reads JSON Schema: the library turns `nullable`
 * into a `null` type; `example`, which JSON Schema lacks, becomes `examples`.
 */
export function toJsonSchema(schema: Json): Json {
  const converted: Json = openapiSchemaToJsonSchema(schema, { beforeTransform: moveExample });
  // the AsyncAPI document gives the schema format for all of them
  delete converted.$schema;
  return converted;
}

type Options = NonNullable<Parameters<typeof openapiSchemaToJsonSchema>[1]>;
type Schema = ReturnType<NonNullable<Options['beforeTransform']>>;

/** Runs on each (sub)schema before the library converts it. */
function moveExample(schema: object): Schema {
  const { example, ...rest } = schema as Json;
  const moved: Json = { ...rest, examples: [example] };
  return example === undefined ? schema : moved;
}

function referencedSchemas(node: unknown): string[] {
  if (Array.isArray(node)) {
    return node.flatMap(referencedSchemas);
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const ref = (node as Json).$ref;
  const own = typeof ref === 'string' && ref.startsWith(SCHEMAS) ? [ref.slice(SCHEMAS.length)] : [];
  return [...own, ...Object.values(node).flatMap(referencedSchemas)];
}

/** An example value built from the schemas' own `examples` (the DTOs' `@ApiProperty({ example })`). */
export function exampleOf(schema: Json, schemas: Json, depth = 0): unknown {
  if (depth > 8) {
    return undefined;
  }
  if (typeof schema.$ref === 'string') {
    return exampleOf(schemas[schema.$ref.slice(SCHEMAS.length)] as Json, schemas, depth + 1);
  }
  if (Array.isArray(schema.examples)) {
    return schema.examples[0];
  }
  if (Array.isArray(schema.enum)) {
    return schema.enum[0];
  }
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties as Json).map(([name, sub]) => [
        name,
        exampleOf(sub as Json, schemas, depth + 1),
      ]),
    );
  }
  if (schema.items) {
    return [exampleOf(schema.items as Json, schemas, depth + 1)];
  }
  return undefined;
}
