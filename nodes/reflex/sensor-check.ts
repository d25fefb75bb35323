import type { ReflexParams } from './reflex-params.js';
import { REFLEX_SENSORS, type ReflexFault, type ReflexSensors } from './reflex-signals.js';

export interface SensorCheck {
  readonly sensors: ReflexSensors;
  readonly faults: readonly ReflexFault[];
}

const NO_FAULTS: readonly ReflexFault[] = Object.freeze([]);

/**
 * Checks raw device sensations against type, finiteness, range and age. A bad reading
 * becomes `undefined` in the result and a fault in the list, so behaviors never act on it
 * and the hazard behavior stops on it.
 */
export function checkSensors(
  values: Readonly<Record<string, unknown>> | undefined,
  sensedAt: number | undefined,
  now: number,
  params: Pick<ReflexParams, 'rays' | 'sensors'>,
): SensorCheck {
  let faults: ReflexFault[] | undefined;
  const fault = (source: string, problem: ReflexFault['problem'], detail: string): undefined => {
    (faults ??= []).push({ source, problem, detail });
    return undefined;
  };
  const required = params.sensors.required;
  const stale = values !== undefined && (sensedAt === undefined || now - sensedAt > params.sensors.max_age_ms);
  const get = (name: string): unknown => {
    const v = values?.[name];
    if (v === undefined || v === null) return required.includes(name) ? fault(name, 'missing', values === undefined ? 'no sensations received from the device yet' : `no "${name}" in the device's sensations`) : undefined;
    if (stale) {
      return fault(name, 'stale', sensedAt === undefined ? 'sensations carry no time' : `reading is ${now - sensedAt} ms old (max_age_ms ${params.sensors.max_age_ms})`);
    }
    return v;
  };
  const bool = (name: string): boolean | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    return typeof v === 'boolean' ? v : fault(name, 'type', `expected true/false, got ${JSON.stringify(v)}`);
  };
  const num = (name: string, min: number, max: number): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number') return fault(name, 'type', `expected a number, got ${JSON.stringify(v)}`);
    if (!Number.isFinite(v)) return fault(name, 'nan', `reading is ${v}`);
    return v < min || v > max ? fault(name, 'range', `${v} is outside [${min}, ${max}]`) : v;
  };
  const rays = (): number[] | undefined => {
    const name = REFLEX_SENSORS.range;
    const v = get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return fault(name, 'type', `expected an array of distances, got ${JSON.stringify(v)}`);
    const n = params.rays.angles_deg.length;
    if (v.length !== n) return fault(name, 'shape', `${v.length} rays, but rays.angles_deg lists ${n}`);
    const max = params.rays.max_range_m;
    for (let k = 0; k < n; k++) {
      const d = v[k];
      if (typeof d !== 'number') return fault(name, 'type', `ray ${k} is ${JSON.stringify(d)}, not a number`);
      if (!Number.isFinite(d)) return fault(name, 'nan', `ray ${k} reads ${d}`);
      if (d < 0 || d > max) return fault(name, 'range', `ray ${k} reads ${d} m, outside [0, ${max}]`);
    }
    return v as number[];
  };
  // Checked in declaration order, so faults are listed in a stable order.
  const range = rays();
  const bumpLeft = bool(REFLEX_SENSORS.bumpLeft);
  const bumpRight = bool(REFLEX_SENSORS.bumpRight);
  const cliff = bool(REFLEX_SENSORS.cliff);
  const slope = num(REFLEX_SENSORS.slopeDeg, -90, 90);
  const soft = bool(REFLEX_SENSORS.soft);
  const estop = bool(REFLEX_SENSORS.estop);
  const heading = num(REFLEX_SENSORS.heading, -1e6, 1e6);
  const sensors: ReflexSensors = { range, bump_left: bumpLeft, bump_right: bumpRight, cliff, slope_deg: slope, soft, estop, heading_rad: heading };
  return { sensors, faults: faults ?? NO_FAULTS };
}
