import type { OpenAPIObject } from '@nestjs/swagger';

const SCHEMAS = '#/components/schemas/';

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((child) => refsIn(child, out));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMAS)) {
        out.push(value.slice(SCHEMAS.length));
      } else {
        refsIn(value, out);
      }
    }
  }
  return out;
}

/**
 * Drops the component schemas nothing refers to. Swagger registers every DTO it meets, also those
 * it then flattens into query parameters and those of NATS handlers; a client reading the
 * document would look for the operation that uses them and find none.
 */
export function removeUnusedSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas;
  if (!schemas) {
    return document;
  }
  const { schemas: _all, ...otherComponents } = document.components ?? {};
  const used = new Set<string>();
  const pending = refsIn([document.paths, otherComponents, document.webhooks]);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (!used.has(name)) {
      used.add(name);
      refsIn(schemas[name], pending);
    }
  }
  for (const name of Object.keys(schemas)) {
    if (!used.has(name)) {
      delete schemas[name];
    }
  }
  return document;
}
