/**
 * Helpers of the contract suite (test/contract/): a validator of responses against the served
 * document, and requests whose D1 is held to production's limits.
 */
import { productionLimitsD1 } from './db';
import { type ApiOptions, api } from './http';

/** `api()` with the Worker's D1 held to production D1's LIKE pattern limit (see `productionLimitsD1`). */
export const limitedApi = (path: string, opts: ApiOptions = {}) =>
  api(path, { ...opts, env: { ...opts.env, DB: productionLimitsD1() } });

/**
 * A small validator for the JSON Schema subset our generated OpenAPI 3.1 document uses
 * ($ref, type incl. arrays of types, nullable, enum, const, properties/required, items,
 * anyOf/oneOf/allOf). workerd forbids code generation, so ajv cannot run here.
 */
type Schema = Record<string, any>;

export function validate(doc: Schema, schema: Schema | undefined, value: unknown, path = '$', seen = 0): string[] {
  if (!schema || seen > 50) return [];
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return validate(doc, doc.components?.schemas?.[name], value, path, seen + 1);
  }
  if (schema.allOf) return schema.allOf.flatMap((s: Schema) => validate(doc, s, value, path, seen + 1));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    if (value === null && schema.nullable) return [];
    const results = alternatives.map((s: Schema) => validate(doc, s, value, path, seen + 1));
    return results.some((r: string[]) => r.length === 0)
      ? []
      : [`${path}: matches none of ${alternatives.length} alternatives (${results[0][0] ?? ''})`];
  }
  if (value === null) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.nullable || types.includes('null') || schema.type === undefined) return [];
    return [`${path}: null not allowed`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} not in enum`];
  if ('const' in schema && schema.const !== value) return [`${path}: expected const ${JSON.stringify(schema.const)}`];
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length) {
    const actual = Array.isArray(value)
      ? 'array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  const errors: string[] = [];
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => {
      errors.push(...validate(doc, schema.items, v, `${path}[${i}]`, seen + 1));
    });
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of schema.required ?? []) if (!(key in (value as object))) errors.push(`${path}.${key}: required but missing`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in (value as object)) errors.push(...validate(doc, sub as Schema, (value as any)[key], `${path}.${key}`, seen + 1));
    }
  }
  return errors;
}
