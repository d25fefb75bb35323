import type { XY } from '../rover/contracts.js';

/** Tuning of the tracker (all SI units). */
export interface PursuitParams {
  /** Distance ahead along the path to steer at (m). Longer = smoother, cuts corners more. */
  readonly lookahead_m: number;
  readonly max_v: number;
  readonly max_w: number;
  /** Speed limit on curves: v² |k| <= max_lat_accel (m/s²). */
  readonly max_lat_accel: number;
  /** Heading error above which the rover turns on the spot first (rad). */
  readonly turn_in_place_rad: number;
  /** Speed limit near the last waypoint: v <= approach_gain * distance (1/s). */
  readonly approach_gain: number;
  /** Lowest forward speed while moving at all (m/s), so the approach does not stall. */
  readonly min_v: number;
  /** Clear distance ahead below which forward motion stops, and above which it is not limited (m). */
  readonly stop_m: number;
  readonly slow_m: number;
}

/** What the tracker decided this cycle, with the figures behind it. */
export interface PursuitResult {
  readonly v: number;
  readonly w: number;
  /** Within tolerance of the last waypoint. */
  readonly done: boolean;
  /** Index of the path segment the rover is on (keep it for the next call: progress never goes back). */
  readonly index: number;
  /** Distance from the rover to the path (m). */
  readonly crossTrack: number;
  /** Path length left from the rover's projection (m). */
  readonly remaining: number;
  /** What limited the speed. */
  readonly limit: 'speed' | 'curvature' | 'approach' | 'obstacle' | 'turn' | 'done';
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000 || 0;
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/**
 * Pure pursuit: steer along the arc through a point `lookahead_m` ahead on the path.
 * Speed is the least of the commanded speed, the curvature limit, the approach limit
 * near the end, and the clear distance ahead (`clearance`, from the range finder). A
 * large heading error is taken out by turning on the spot. Outputs are rounded to
 * millimetres, so a steady command does not change (and is not re-sent) every cycle.
 */
export function pursue(
  path: readonly XY[],
  pose: { x: number; y: number; theta: number },
  prevIndex: number,
  cmd: { speed: number; tolerance: number; clearance: number },
  p: PursuitParams,
): PursuitResult {
  const pts: XY[] = path.length === 1 ? [[pose.x, pose.y], path[0]] : [...path];
  const last = pts[pts.length - 1];
  const toEnd = Math.hypot(last[0] - pose.x, last[1] - pose.y);
  // Projection onto the path, searching forward from the previous segment only.
  let index = clamp(prevIndex, 0, pts.length - 2);
  let best = Infinity;
  let proj: XY = pts[index];
  for (let i = index; i < pts.length - 1; i++) {
    const q = closestOnSegment(pts[i], pts[i + 1], pose.x, pose.y);
    const d = Math.hypot(q[0] - pose.x, q[1] - pose.y);
    if (d < best - 1e-9) {
      best = d;
      index = i;
      proj = q;
    }
  }
  let remaining = Math.hypot(pts[index + 1][0] - proj[0], pts[index + 1][1] - proj[1]);
  for (let i = index + 1; i < pts.length - 1; i++) remaining += Math.hypot(pts[i + 1][0] - pts[i][0], pts[i + 1][1] - pts[i][1]);
  const base = { index, crossTrack: round3(best), remaining: round3(remaining) };
  if (toEnd <= cmd.tolerance) return { v: 0, w: 0, done: true, limit: 'done', ...base };

  // The lookahead point: walk the path from the projection.
  let goal: XY = last;
  let left = p.lookahead_m;
  let from = proj;
  for (let i = index; i < pts.length - 1; i++) {
    const seg = Math.hypot(pts[i + 1][0] - from[0], pts[i + 1][1] - from[1]);
    if (seg >= left) {
      const t = seg === 0 ? 0 : left / seg;
      goal = [from[0] + (pts[i + 1][0] - from[0]) * t, from[1] + (pts[i + 1][1] - from[1]) * t];
      break;
    }
    left -= seg;
    from = pts[i + 1];
  }
  const c = Math.cos(pose.theta);
  const s = Math.sin(pose.theta);
  const dx = goal[0] - pose.x;
  const dy = goal[1] - pose.y;
  const lx = c * dx + s * dy;
  const ly = -s * dx + c * dy;
  const alpha = Math.atan2(ly, lx);
  const turnOnSpot = (): number => Math.sign(alpha) * Math.min(p.max_w, 1.5 * Math.abs(alpha));
  if (Math.abs(alpha) > p.turn_in_place_rad) return { v: 0, w: round3(turnOnSpot()), done: false, limit: 'turn', ...base };

  const l2 = lx * lx + ly * ly;
  const k = l2 > 1e-9 ? (2 * ly) / l2 : 0;
  let v = Math.min(cmd.speed, p.max_v);
  let limit: PursuitResult['limit'] = 'speed';
  const curveV = Math.abs(k) > 1e-9 ? Math.sqrt(p.max_lat_accel / Math.abs(k)) : Infinity;
  if (curveV < v) {
    v = curveV;
    limit = 'curvature';
  }
  const approachV = Math.max(p.min_v, p.approach_gain * toEnd);
  if (approachV < v) {
    v = approachV;
    limit = 'approach';
  }
  const obstacleV = p.max_v * clamp((cmd.clearance - p.stop_m) / (p.slow_m - p.stop_m), 0, 1);
  if (obstacleV < v) {
    v = obstacleV;
    limit = 'obstacle';
  }
  if (v <= 1e-3) return { v: 0, w: round3(turnOnSpot()), done: false, limit, ...base };
  let w = v * k;
  if (Math.abs(w) > p.max_w) {
    w = Math.sign(w) * p.max_w;
    v = p.max_w / Math.abs(k);
    limit = 'curvature';
  }
  return { v: round3(v), w: round3(w), done: false, limit, ...base };
}

function closestOnSegment(a: XY, b: XY, x: number, y: number): XY {
  const ex = b[0] - a[0];
  const ey = b[1] - a[1];
  const len2 = ex * ex + ey * ey;
  const t = len2 === 0 ? 0 : clamp(((x - a[0]) * ex + (y - a[1]) * ey) / len2, 0, 1);
  return [a[0] + ex * t, a[1] + ey * t];
}

/** Angle of each range ray relative to the heading, spread evenly over the field of view from the right edge (as the simulator's range point says). */
export function rayAngles(count: number, fovDeg: number): number[] {
  const fov = (fovDeg * Math.PI) / 180;
  if (count === 1) return [0];
  const full = fovDeg >= 360;
  return Array.from({ length: count }, (_, i) => (full ? -Math.PI + (fov * i) / count : -fov / 2 + (fov * i) / (count - 1)));
}

/**
 * Clear distance straight ahead (m): the nearest range hit inside the corridor the
 * rover sweeps (|lateral offset| <= halfWidth), measured along the heading. Infinity
 * when nothing is in the corridor or there is no reading.
 */
export function clearanceAhead(ranges: ReadonlyArray<number | null> | undefined, angles: readonly number[], maxM: number, halfWidth: number): number {
  if (!ranges) return Infinity;
  let best = Infinity;
  const n = Math.min(ranges.length, angles.length);
  for (let i = 0; i < n; i++) {
    const d = ranges[i];
    if (d === null || !Number.isFinite(d) || d >= maxM - 1e-6) continue;
    const fwd = d * Math.cos(angles[i]);
    if (fwd <= 0 || Math.abs(d * Math.sin(angles[i])) > halfWidth) continue;
    if (fwd < best) best = fwd;
  }
  return best;
}

/** A range reading in world coordinates (the pilot's `scan` sensation): origin and, per valid ray, its end point and whether it hit. */
export function scanToWorld(
  ranges: ReadonlyArray<number | null>,
  angles: readonly number[],
  maxM: number,
  pose: { x: number; y: number; theta: number },
): { x: number; y: number; rays: Array<[number, number, boolean]> } {
  const rays: Array<[number, number, boolean]> = [];
  const n = Math.min(ranges.length, angles.length);
  for (let i = 0; i < n; i++) {
    const d = ranges[i];
    if (d === null || !Number.isFinite(d)) continue;
    const a = pose.theta + angles[i];
    const r = Math.min(d, maxM);
    rays.push([round3(pose.x + r * Math.cos(a)), round3(pose.y + r * Math.sin(a)), d < maxM - 1e-6]);
  }
  return { x: round3(pose.x), y: round3(pose.y), rays };
}
