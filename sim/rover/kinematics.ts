/**
 * Wheel speeds (m/s) for a linear speed `v` (m/s) and turn rate `w` (rad/s) on a
 * differential drive. If a wheel would exceed `maxWheel`, both are scaled down together,
 * so the rover keeps the commanded curvature and only goes slower.
 */
export function wheelsFromTwist(v: number, w: number, wheelBase: number, maxWheel: number, out: [number, number]): [number, number] {
  let left = v - (w * wheelBase) / 2;
  let right = v + (w * wheelBase) / 2;
  const peak = Math.max(Math.abs(left), Math.abs(right));
  if (peak > maxWheel) {
    const k = maxWheel / peak;
    left *= k;
    right *= k;
  }
  out[0] = left;
  out[1] = right;
  return out;
}

/** Moves `current` toward `target` by at most `maxDelta`. */
export function approach(current: number, target: number, maxDelta: number): number {
  if (target > current + maxDelta) return current + maxDelta;
  if (target < current - maxDelta) return current - maxDelta;
  return target;
}

/** Clamps to [-limit, limit]; NaN becomes 0, so a bad command stops the wheel. */
export function clampSpeed(value: number, limit: number): number {
  if (!(value === value)) return 0;
  return value > limit ? limit : value < -limit ? -limit : value;
}

/** Angle wrapped to (-π, π]. */
export function wrapAngle(a: number): number {
  let r = a % (2 * Math.PI);
  if (r > Math.PI) r -= 2 * Math.PI;
  else if (r <= -Math.PI) r += 2 * Math.PI;
  return r;
}
