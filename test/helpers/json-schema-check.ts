import Ajv from 'ajv';

type Schema = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';

// formats (uuid, date-time) are documentation here; the union types are the nullable fields
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, validateFormats: false });

/**
 * Stricter than JSON Schema on purpose: an object with `properties` may carry no field they do not
 * list, so a field added to an event but not to its schema is caught. The catalog's `$ref`s point
 * into `components.schemas`; here they point into the compiled schema's `definitions`.
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(strict);
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  const out = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'examples' || key === 'enum' || key === 'const' ? value : strict(value),
    ]),
  );
  if (typeof out.$ref === 'string' && out.$ref.startsWith(SCHEMAS)) {
    out.$ref = `#/definitions/${out.$ref.slice(SCHEMAS.length)}`;
  }
  if ('properties' in out && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

/** The problems of `value` against a JSON Schema of the event catalog, checked by ajv. */
export function schemaProblems(
  value: unknown,
  schema: Schema,
  schemas: Record<string, Schema>,
  label = '$',
): string[] {
  const validate = ajv.compile({ ...(strict(schema) as Schema), definitions: strict(schemas) });
  return validate(value)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${label}${e.instancePath}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
      );
}
