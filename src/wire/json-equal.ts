/**
 * Whether two values encode to the same JSON, up to the order of object keys: what a
 * receiver would see as the same message. The cheap way to ask "did this change?" on a
 * hot path, instead of comparing two JSON.stringify results. Follows JSON.stringify's
 * rules: keys whose value is undefined are absent, non-finite numbers are null, and an
 * object with toJSON() is compared by what it encodes to.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (hasToJSON(a) || hasToJSON(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (ta === 'number' || tb === 'number') return asJsonNumber(a) === asJsonNumber(b);
  if (ta !== 'object' || tb !== 'object' || a === null || b === null) return false;
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(inArray(x[i]), inArray(y[i]))) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let nx = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k) || !encodes(x[k])) continue;
    nx++;
    if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  let ny = 0;
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k) && encodes(y[k])) ny++;
  return nx === ny;
}

/** A number as JSON writes it (non-finite → null); anything else unchanged. */
const asJsonNumber = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
/** Inside an array, what JSON.stringify writes as null. */
const inArray = (v: unknown): unknown => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v);
/** Whether an object property appears in JSON at all. */
const encodes = (v: unknown): boolean => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
const hasToJSON = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';
