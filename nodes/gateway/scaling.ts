import type { Point } from '../../src/contracts/device.js';
import type { RawValue } from './adapter.js';

/** An engineering value, as it appears in commands and sensations. */
export type EngValue = number | boolean | string | number[];

type Scaled = Pick<Point, 'type' | 'scale' | 'offset'>;

/** Engineering → raw: raw = (value - offset) / scale, for numbers; other types pass through. */
export function toRaw(p: Scaled, value: EngValue): RawValue {
  if (p.type === 'number' && typeof value === 'number') return (value - p.offset) / p.scale;
  if (p.type === 'number[]' && Array.isArray(value)) return value.map((v) => (v - p.offset) / p.scale);
  return value;
}

/** Raw → engineering: value = raw · scale + offset, for numbers; other types pass through. */
export function toEngineering(p: Scaled, raw: RawValue): EngValue {
  if (p.type === 'number' && typeof raw === 'number') return raw * p.scale + p.offset;
  if (p.type === 'number[]' && Array.isArray(raw)) return raw.map((v) => v * p.scale + p.offset);
  return raw;
}

/** Why a raw reading does not fit the point's type (a parse fault), or undefined. */
export function rawTypeProblem(p: Pick<Point, 'name' | 'type' | 'values'>, raw: RawValue): string | undefined {
  const ok =
    p.type === 'bool'
      ? typeof raw === 'boolean'
      : p.type === 'number'
        ? typeof raw === 'number' && Number.isFinite(raw)
        : p.type === 'enum'
          ? typeof raw === 'string' && (p.values ?? []).includes(raw)
          : Array.isArray(raw) && raw.every((v) => Number.isFinite(v));
  return ok ? undefined : `device sent ${JSON.stringify(raw)} for ${p.type} point "${p.name}"`;
}

/** Value equality for engineering values (arrays element-wise). */
export function sameValue(a: EngValue | undefined, b: EngValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
