import type { z } from 'zod';

/**
 * Compiled validators for hot topics: a zod schema is turned, once, into a tree of
 * plain checks that accept exactly what the schema accepts and build the same output
 * (defaults applied, keys in the schema's order). The zod schema stays the one
 * definition; this is a faster way to run it. A message that fails the compiled check
 * goes through zod itself, which produces the error a person reads, so messages and
 * issues are zod's. Schemas using anything not listed below (refinements, transforms,
 * pipes, …) are not compiled and always go through zod.
 *
 * Supported: object (strict or strip), string (min/max length, regex), number
 * (finite; int/safeint, min, max), boolean, null, literal, enum, optional, nullable, default,
 * unknown/any, array, record with string keys, union, lazy (recursion included).
 */

/** What a compiled check returns for input it does not accept. */
const INVALID: unique symbol = Symbol('invalid');
type Check = (input: unknown) => unknown;

/** Raised mid-check for input the compiled form does not handle exactly; zod decides then. */
class Bail extends Error {}

/** The zod 4 internals the compiler reads (kept to what it needs). */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, ZodLike>;
  catchall?: ZodLike;
  innerType?: ZodLike;
  defaultValue?: unknown;
  values?: unknown[];
  entries?: Record<string, unknown>;
  keyType?: ZodLike;
  valueType?: ZodLike;
  element?: ZodLike;
  options?: ZodLike[];
  getter?: () => ZodLike;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
  when?: unknown;
}
interface ZodLike {
  _zod: { def: Def };
}

class Unsupported extends Error {}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

function cloneDefault(v: unknown): unknown {
  if (Array.isArray(v)) return [...(v as unknown[])];
  if (isPlainObject(v)) return { ...v };
  return v;
}

function compileString(def: Def): Check {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  const patterns: RegExp[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    // zod's length checks carry a `when` (only for values that have a length): a string always has one.
    if (d.when !== undefined && d.check !== 'min_length' && d.check !== 'max_length') throw new Unsupported('conditional check');
    if (d.check === 'min_length' && typeof d.minimum === 'number') min = Math.max(min, d.minimum);
    else if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else if (d.check === 'string_format' && d.format === 'regex' && d.pattern instanceof RegExp && !d.pattern.global && !d.pattern.sticky) patterns.push(d.pattern);
    else throw new Unsupported(`string check ${d.check}`);
  }
  return (v) => {
    if (typeof v !== 'string' || v.length < min || v.length > max) return INVALID;
    for (const p of patterns) if (!p.test(v)) return INVALID;
    return v;
  };
}

function compileNumber(def: Def): Check {
  let int = false;
  let lo = Number.NEGATIVE_INFINITY;
  let loInclusive = true;
  let hi = Number.POSITIVE_INFINITY;
  let hiInclusive = true;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.when !== undefined) throw new Unsupported('conditional check');
    if (d.check === 'number_format' && (d.format === 'safeint' || d.format === 'int32' || d.format === 'uint32')) {
      int = true;
      // int32/uint32 bound the range as well: narrow to it.
      if (d.format === 'int32') [lo, hi] = [Math.max(lo, -(2 ** 31)), Math.min(hi, 2 ** 31 - 1)];
      if (d.format === 'uint32') [lo, hi] = [Math.max(lo, 0), Math.min(hi, 2 ** 32 - 1)];
    } else if (d.check === 'greater_than' && typeof d.value === 'number') {
      if (d.value > lo || (d.value === lo && !d.inclusive)) [lo, loInclusive] = [d.value, d.inclusive === true];
    } else if (d.check === 'less_than' && typeof d.value === 'number') {
      if (d.value < hi || (d.value === hi && !d.inclusive)) [hi, hiInclusive] = [d.value, d.inclusive === true];
    } else throw new Unsupported(`number check ${d.check}`);
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return INVALID;
    if (int && !Number.isSafeInteger(v)) return INVALID;
    if (loInclusive ? v < lo : v <= lo) return INVALID;
    if (hiInclusive ? v > hi : v >= hi) return INVALID;
    return v;
  };
}

/** A key of an object schema: how a missing key is treated, and the check for a present one. */
interface Field {
  key: string;
  check: Check;
  /** 'required': missing is invalid; 'optional': missing stays missing; 'default': missing takes the value. */
  missing: 'required' | 'optional' | 'default';
  defaultValue?: unknown;
}

function compileObject(def: Def, compile: (s: ZodLike) => Check): Check {
  const fields: Field[] = [];
  for (const [key, s] of Object.entries(def.shape ?? {})) {
    const t = s._zod.def.type;
    if (t === 'optional') fields.push({ key, check: compile(s._zod.def.innerType!), missing: 'optional' });
    else if (t === 'default') fields.push({ key, check: compile(s._zod.def.innerType!), missing: 'default', defaultValue: s._zod.def.defaultValue });
    else if (t === 'unknown' || t === 'any') throw new Unsupported('unknown-typed object key'); // zod's handling of a missing one is subtle
    else fields.push({ key, check: compile(s), missing: 'required' });
  }
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never') throw new Unsupported(`object catchall ${catchall}`);
  const strict = catchall === 'never';
  const known = new Set(fields.map((f) => f.key));
  return (v) => {
    if (!isPlainObject(v)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const x = v[f.key];
      if (x === undefined) {
        if (f.missing === 'required') return INVALID;
        if (f.missing === 'default') out[f.key] = cloneDefault(f.defaultValue);
        else if (f.key in v) throw new Bail(); // present but undefined: not from JSON, let zod say
        continue;
      }
      const r = f.check(x);
      if (r === INVALID) return INVALID;
      out[f.key] = r;
    }
    if (strict) {
      for (const k in v) if (!known.has(k)) return INVALID;
    }
    return out;
  };
}

function compileRecord(def: Def, compile: (s: ZodLike) => Check): Check {
  const keyDef = def.keyType!._zod.def;
  if (keyDef.type !== 'string' || (keyDef.checks?.length ?? 0) > 0) throw new Unsupported('record keys other than plain strings');
  const value = def.valueType!;
  const vt = value._zod.def.type;
  const anyValue = vt === 'unknown' || vt === 'any';
  const check = anyValue ? undefined : compile(value);
  return (v) => {
    if (!isPlainObject(v)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (k === '__proto__') throw new Bail();
      const x = v[k];
      if (check === undefined) {
        out[k] = x;
        continue;
      }
      const r = check(x);
      if (r === INVALID) return INVALID;
      out[k] = r;
    }
    return out;
  };
}

function compileSchema(schema: ZodLike, memo: Map<ZodLike, Check>): Check {
  const known = memo.get(schema);
  if (known) return known;
  // Recursion (z.lazy of itself): a forwarding slot, filled once the schema is compiled.
  let compiled: Check | undefined;
  memo.set(schema, (v) => compiled!(v));
  const compile = (s: ZodLike): Check => compileSchema(s, memo);
  const def = schema._zod.def;
  if (def.type !== 'string' && def.type !== 'number' && (def.checks?.length ?? 0) > 0) throw new Unsupported(`checks on ${def.type}`);
  switch (def.type) {
    case 'string':
      compiled = compileString(def);
      break;
    case 'number':
      compiled = compileNumber(def);
      break;
    case 'boolean':
      compiled = (v) => (typeof v === 'boolean' ? v : INVALID);
      break;
    case 'null':
      compiled = (v) => (v === null ? v : INVALID);
      break;
    case 'unknown':
    case 'any':
      compiled = (v) => v;
      break;
    case 'literal': {
      const values = def.values ?? [];
      compiled = (v) => (values.includes(v) ? v : INVALID);
      break;
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      compiled = (v) => ((typeof v === 'string' || typeof v === 'number') && values.has(v) ? v : INVALID);
      break;
    }
    case 'object':
      compiled = compileObject(def, compile);
      break;
    case 'record':
      compiled = compileRecord(def, compile);
      break;
    case 'array': {
      const el = compile(def.element!);
      compiled = (v) => {
        if (!Array.isArray(v)) return INVALID;
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const r = el(v[i]);
          if (r === INVALID) return INVALID;
          out[i] = r;
        }
        return out;
      };
      break;
    }
    case 'union': {
      // zod takes the first option that accepts: so do we.
      const options = (def.options ?? []).map(compile);
      compiled = (v) => {
        for (const o of options) {
          const r = o(v);
          if (r !== INVALID) return r;
        }
        return INVALID;
      };
      break;
    }
    case 'lazy':
      compiled = compile(def.getter!());
      break;
    case 'optional': {
      const inner = compile(def.innerType!);
      compiled = (v) => (v === undefined ? v : inner(v));
      break;
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      compiled = (v) => (v === null ? v : inner(v));
      break;
    }
    case 'default': {
      const inner = compile(def.innerType!);
      const dv = def.defaultValue;
      compiled = (v) => (v === undefined ? cloneDefault(dv) : inner(v));
      break;
    }
    default:
      throw new Unsupported(def.type);
  }
  memo.set(schema, compiled);
  return compiled;
}

/** A compiled validator: the parsed value when the input is valid, `undefined` otherwise (then ask zod why). */
export type FastValidator<T> = (input: unknown) => { value: T } | undefined;

const cache = new WeakMap<object, FastValidator<unknown> | null>();

/**
 * The compiled form of a schema (cached), or null when the schema uses something the
 * compiler does not handle: then use `schema.safeParse` as usual.
 */
export function fastValidator<S extends z.ZodType>(schema: S): FastValidator<z.output<S>> | null {
  const hit = cache.get(schema);
  if (hit !== undefined) return hit as FastValidator<z.output<S>> | null;
  let made: FastValidator<unknown> | null;
  try {
    const check = compileSchema(schema as unknown as ZodLike, new Map());
    made = (input) => {
      try {
        const r = check(input);
        return r === INVALID ? undefined : { value: r };
      } catch (err) {
        if (err instanceof Bail) return undefined;
        throw err;
      }
    };
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    made = null;
  }
  cache.set(schema, made);
  return made as FastValidator<z.output<S>> | null;
}

/**
 * `schema.safeParse(input)` through the compiled form when it accepts the input; zod
 * itself otherwise (so a failure carries zod's issues).
 */
export function safeParseFast<S extends z.ZodType>(schema: S, input: unknown): { success: true; data: z.output<S> } | { success: false; error: z.ZodError } {
  const fast = fastValidator(schema)?.(input);
  if (fast) return { success: true, data: fast.value };
  const r = schema.safeParse(input);
  return r.success ? { success: true, data: r.data } : { success: false, error: r.error };
}
