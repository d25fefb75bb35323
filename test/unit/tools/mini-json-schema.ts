/**
 * A small JSON Schema checker for the keywords zod emits (type, const, enum,
 * properties, required, additionalProperties, propertyNames, items, anyOf, $ref,
 * numeric and string bounds). Tests use it to check the exported schemas against real
 * payloads without adding a validator dependency. It throws on any other keyword, so a
 * schema that grows past it is noticed instead of half-checked.
 */
type Schema = Record<string, any> | boolean;

const KNOWN = new Set([
  '$schema', '$defs', 'definitions', '$id', 'title', 'description', 'default', 'type', 'const', 'enum', 'properties', 'required',
  'additionalProperties', 'propertyNames', 'items', 'anyOf', 'oneOf', '$ref', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
]);

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

export function validate(root: Record<string, any>, value: unknown): string[] {
  const errors: string[] = [];
  const resolveRef = (ref: string): Schema => {
    const path = ref.replace(/^#\//, '').split('/');
    let s: any = root;
    for (const p of path) s = s?.[p];
    if (s === undefined) throw new Error(`unresolved $ref ${ref}`);
    return s;
  };
  const check = (schema: Schema, v: unknown, at: string): boolean => {
    if (schema === true) return true;
    if (schema === false) return fail(at, 'nothing allowed');
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`mini validator does not know keyword "${k}" at ${at}`);
    let ok = true;
    if (schema.$ref) ok = check(resolveRef(schema.$ref), v, at) && ok;
    if (schema.type !== undefined) {
      const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return fail(at, `type ${t}, want ${types.join('|')}`);
    }
    if ('const' in schema && schema.const !== v) ok = fail(at, `not ${JSON.stringify(schema.const)}`);
    if (schema.enum && !schema.enum.includes(v)) ok = fail(at, `not one of ${schema.enum.join(',')}`);
    if (typeof v === 'number') {
      if (schema.minimum !== undefined && v < schema.minimum) ok = fail(at, `< ${schema.minimum}`);
      if (schema.maximum !== undefined && v > schema.maximum) ok = fail(at, `> ${schema.maximum}`);
      if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) ok = fail(at, `<= ${schema.exclusiveMinimum}`);
    }
    if (typeof v === 'string') {
      if (schema.minLength !== undefined && v.length < schema.minLength) ok = fail(at, 'too short');
      if (schema.maxLength !== undefined && v.length > schema.maxLength) ok = fail(at, 'too long');
      if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) ok = fail(at, `does not match ${schema.pattern}`);
    }
    if (Array.isArray(v)) {
      if (schema.minItems !== undefined && v.length < schema.minItems) ok = fail(at, 'too few items');
      if (schema.items) v.forEach((x, i) => (ok = check(schema.items, x, `${at}[${i}]`) && ok));
    }
    if (typeOf(v) === 'object') {
      const o = v as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in o)) ok = fail(at, `missing ${r}`);
      for (const [k, x] of Object.entries(o)) {
        if (schema.propertyNames) ok = check(schema.propertyNames, k, `${at}{${k}}`) && ok;
        if (schema.properties && k in schema.properties) ok = check(schema.properties[k], x, `${at}.${k}`) && ok;
        else if (schema.additionalProperties !== undefined) ok = check(schema.additionalProperties, x, `${at}.${k}`) && ok;
      }
    }
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) {
      const saved = errors.length;
      const any = alternatives.some((s: Schema) => check(s, v, at));
      errors.length = saved;
      if (!any) ok = fail(at, 'matches no alternative');
    }
    return ok;
  };
  const fail = (at: string, msg: string): false => {
    errors.push(`${at || '(root)'}: ${msg}`);
    return false;
  };
  check(root, value, '');
  return errors;
}
