import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../../src/wire/json-equal.js';

/** JSON with object keys sorted: equal strings ⇔ the same message, key order aside. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x,
  );
}

/** The same value with every object's keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

describe('jsonEqual', () => {
  it('agrees with comparing canonical JSON, on arbitrary pairs and on near-copies (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(fc.property(value, value, (a, b) => {
      expect(jsonEqual(a, b)).toBe(canonical(a) === canonical(b));
    }), { numRuns: 2000, seed: 3 });
    // Near-copies: one leaf changed somewhere, which random pairs rarely produce.
    fc.assert(
      fc.property(value, fc.jsonValue({ maxDepth: 0 }), (a, leaf) => {
        const b = JSON.parse(JSON.stringify(a)) as unknown;
        const set = (v: unknown): boolean => {
          if (v === null || typeof v !== 'object') return false;
          const entries = Object.entries(v as object);
          if (entries.length === 0) return false;
          const [k, x] = entries[entries.length - 1];
          if (!set(x)) (v as Record<string, unknown>)[k] = leaf;
          return true;
        };
        set(b);
        expect(jsonEqual(a, b)).toBe(canonical(a) === canonical(b));
        expect(jsonEqual(a, reversed(a))).toBe(true);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('follows JSON.stringify: undefined keys are absent, non-finite numbers are null, toJSON counts', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual({ x: Number.NaN }, { x: null })).toBe(true);
    expect(jsonEqual({ x: 1 }, { x: '1' })).toBe(false);
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual({ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' })).toBe(true);
    expect(jsonEqual({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } })).toBe(false);
  });
});
