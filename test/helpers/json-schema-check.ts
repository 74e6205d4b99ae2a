type Schema = Record<string, unknown>;

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value;

/**
 * The problems of `value` against a JSON Schema, for the keywords the event catalog uses
 * (`$ref`, `type`, `const`, `enum`, `required`, `properties`, `additionalProperties: false`,
 * `items`, `oneOf`): enough to check real events against their documented schema. Stricter than
 * JSON Schema on purpose: an object with `properties` may carry no field they do not list, so a
 * field added to an event but not to its schema is caught.
 */
export function schemaProblems(
  value: unknown,
  schema: Schema,
  schemas: Record<string, Schema>,
  path = '$',
): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return name in schemas
      ? schemaProblems(value, schemas[name], schemas, path)
      : [`${path}: unknown $ref ${schema.$ref}`];
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter(
      (option) => schemaProblems(value, option, schemas, path).length === 0,
    );
    return passing.length === 1 ? [] : [`${path}: matches ${passing.length} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const allowed = ([] as unknown[]).concat(schema.type);
    const actual = typeOf(value);
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) {
      return [`${path}: ${JSON.stringify(value)} is not ${allowed.join(' or ')}`];
    }
  }
  if ('const' in schema && value !== schema.const) {
    problems.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in object)) {
        problems.push(`${path}.${key}: missing`);
      }
    }
    for (const [key, sub] of Object.entries(object)) {
      if (key in properties) {
        problems.push(...schemaProblems(sub, properties[key], schemas, `${path}.${key}`));
      } else if (schema.properties !== undefined && schema.additionalProperties !== true) {
        problems.push(`${path}.${key}: not in the schema`);
      }
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((element, i) =>
      problems.push(...schemaProblems(element, schema.items as Schema, schemas, `${path}[${i}]`)),
    );
  }
  return problems;
}
