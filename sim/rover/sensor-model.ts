import type { Random } from '../../src/time/random.js';
import type { World } from '../world/world.js';
import { castRay } from './ray-cast.js';
import type { RoverParams } from './rover-params.js';

/** Angle of ray `i` relative to the heading: evenly spread over the field of view, right edge first. */
export function rayAngles(params: RoverParams['range']): Float64Array {
  const n = params.rays;
  const fov = (params.fov_deg * Math.PI) / 180;
  const out = new Float64Array(n);
  if (n === 1) return out;
  const full = params.fov_deg >= 360;
  for (let i = 0; i < n; i++) out[i] = full ? -Math.PI + (fov * i) / n : -fov / 2 + (fov * i) / (n - 1);
  return out;
}

const hit = { cell: -1 };

/**
 * `x` rounded to a multiple of `step`, as a sensor reports at its resolution (0: exact;
 * NaN stays NaN). Decimal steps (0.001, 0.01…) give the short decimal a person would
 * write, so readings also travel as short JSON.
 */
export function quantize(x: number, step: number): number {
  if (!(step > 0) || !Number.isFinite(x)) return x;
  const perUnit = Math.round(1 / step);
  if (Math.abs(perUnit * step - 1) < 1e-9) return Math.round(x * perUnit) / perUnit;
  return Math.round(x / step) * step;
}

/** A heading in [-π, π] at a resolution, staying within [-π, π] (rounding may not step past it). */
export function quantizeHeading(theta: number, step: number): number {
  const q = quantize(theta, step);
  if (q <= Math.PI && q >= -Math.PI) return q;
  return quantize(theta - Math.sign(theta) * step, step);
}

/**
 * Range readings from (x, y, theta): true distance plus Gaussian noise, clamped to
 * [0, max]; max when nothing is within range. `dropFraction` of the rays (at random) read NaN.
 * Obstacle cells hit by a ray are marked 1 in `seen`.
 */
export function readRanges(
  world: World,
  x: number,
  y: number,
  theta: number,
  angles: Float64Array,
  params: RoverParams['range'],
  random: Random,
  dropFraction: number,
  seen: Uint8Array,
): number[] {
  const out = new Array<number>(angles.length);
  const max = params.max_m;
  for (let i = 0; i < angles.length; i++) {
    if (dropFraction > 0 && (dropFraction >= 1 || random.next() < dropFraction)) {
      out[i] = Number.NaN;
      continue;
    }
    const d = castRay(world, x, y, theta + angles[i], max, hit);
    if (hit.cell >= 0) seen[hit.cell] = 1;
    if (d >= max) {
      out[i] = max;
      continue;
    }
    const noisy = params.noise_sd > 0 ? d + random.normal(0, params.noise_sd) : d;
    out[i] = quantize(noisy < 0 ? 0 : noisy > max ? max : noisy, params.resolution_m);
  }
  return out;
}

/**
 * True if a cliff cell lies ahead within `lookahead` m of the rover's front edge, on the
 * centre line or either side of it (at 70% of the radius), or under the rover.
 */
export function cliffAhead(world: World, x: number, y: number, theta: number, radius: number, lookahead: number): boolean {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const stepLen = world.cellSize / 2;
  const side = radius * 0.7;
  for (let d = 0; d <= radius + lookahead + 1e-9; d += stepLen) {
    const px = x + c * d;
    const py = y + s * d;
    if (world.cliffAt(px, py)) return true;
    if (d > 0 && (world.cliffAt(px - s * side, py + c * side) || world.cliffAt(px + s * side, py - c * side))) return true;
  }
  return false;
}
