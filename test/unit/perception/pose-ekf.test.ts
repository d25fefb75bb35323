import { describe, expect, it } from 'vitest';
import { correctHeading, correctPosition, createPose, predictVelocity, predictWheels, wrapAngle, type PoseEstimate } from '../../../src/perception/index.js';
import { createRandom } from '../../../src/time/random.js';

const WHEEL_BASE = 0.5;

/** A rover driving a figure of arcs for `steps` × 0.1 s, with slipping wheels and noisy GNSS fixes every second. */
function simulate(seed: string, steps: number, start: PoseEstimate) {
  const random = createRandom(seed);
  let truth = { x: 0, y: 0, theta: 0 };
  let est = start;
  let odomOnly = start;
  const errors: number[] = [];
  const odomErrors: number[] = [];
  const nis: number[] = [];
  const fixErrors: number[] = [];
  for (let k = 1; k <= steps; k++) {
    const v = 1;
    const w = 0.3 * Math.sin(k / 80);
    const dl = (v - (w * WHEEL_BASE) / 2) * 0.1;
    const dr = (v + (w * WHEEL_BASE) / 2) * 0.1;
    // Truth moves by the commanded arc; the encoders read it with slip noise and a small bias.
    const ds = (dl + dr) / 2;
    const dth = (dr - dl) / WHEEL_BASE;
    truth = { x: truth.x + ds * Math.cos(truth.theta + dth / 2), y: truth.y + ds * Math.sin(truth.theta + dth / 2), theta: wrapAngle(truth.theta + dth) };
    const mdl = dl * (1 + random.normal(0, 0.02)) * 1.01;
    const mdr = dr * (1 + random.normal(0, 0.02));
    est = predictWheels(est, mdl, mdr, { wheelBase: WHEEL_BASE, slip: 0.03 });
    odomOnly = predictWheels(odomOnly, mdl, mdr, { wheelBase: WHEEL_BASE, slip: 0.03 });
    if (k % 10 === 0) {
      const fix = { x: truth.x + random.normal(0, 0.5), y: truth.y + random.normal(0, 0.5) };
      fixErrors.push(Math.hypot(fix.x - truth.x, fix.y - truth.y));
      const c = correctPosition(est, fix, 0.5);
      est = c.estimate;
      nis.push(c.nis);
    }
    errors.push(Math.hypot(est.x - truth.x, est.y - truth.y));
    odomErrors.push(Math.hypot(odomOnly.x - truth.x, odomOnly.y - truth.y));
  }
  return { est, truth, errors, odomErrors, nis, fixErrors };
}

const rms = (xs: number[]): number => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);

describe('pose EKF', () => {
  it('converges on a simulated track from a wrong start, and beats odometry alone', () => {
    const start = createPose(5, -4, 0.8, { xy: 5, theta: 1 });
    const { est, truth, errors, odomErrors, nis, fixErrors } = simulate('ekf-track', 3000, start);
    expect(errors[0]).toBeGreaterThan(5);
    // Settled error is well under the fixes' own (0.5 m per axis, ~0.7 m RMS).
    expect(rms(errors.slice(-1000))).toBeLessThan(0.6);
    expect(rms(errors.slice(-1000))).toBeLessThan(0.8 * rms(fixErrors));
    expect(Math.abs(wrapAngle(est.theta - truth.theta))).toBeLessThan(0.1);
    expect(rms(odomErrors.slice(-1000))).toBeGreaterThan(3 * rms(errors.slice(-1000)));
    // Consistency: mean NIS of 2-dof fixes near 2 once converged.
    const tail = nis.slice(50);
    const meanNis = tail.reduce((a, b) => a + b, 0) / tail.length;
    expect(meanNis).toBeGreaterThan(1);
    expect(meanNis).toBeLessThan(4);
  });

  it('gates an outlier fix and leaves the estimate alone', () => {
    const est = createPose(0, 0, 0, { xy: 0.2, theta: 0.05 });
    const c = correctPosition(est, { x: 30, y: 0 }, 0.5);
    expect(c.accepted).toBe(false);
    expect(c.estimate).toBe(est);
    expect(c.nis).toBeGreaterThan(13.8);
  });

  it('shrinks uncertainty with a fix and grows it with motion', () => {
    const est = createPose(0, 0, 0, { xy: 1, theta: 0.1 });
    const moved = predictVelocity(est, 1, 0, 1, { vSd: 0.1, wSd: 0.05 });
    expect(moved.x).toBeCloseTo(1, 12);
    expect(moved.P[0]).toBeGreaterThan(est.P[0]);
    expect(moved.P[4]).toBeGreaterThan(est.P[4]); // heading doubt spreads sideways
    const fixed = correctPosition(moved, { x: 1, y: 0 }, 0.3).estimate;
    expect(fixed.P[0]).toBeLessThan(moved.P[0]);
    expect(fixed.P[1]).toBeCloseTo(fixed.P[3], 15);
  });

  it('corrects heading across the ±π seam', () => {
    const est = createPose(0, 0, Math.PI - 0.05, { xy: 0.1, theta: 0.3 });
    const c = correctHeading(est, -Math.PI + 0.05, 0.01);
    expect(c.accepted).toBe(true);
    expect(Math.abs(wrapAngle(c.estimate.theta - (-Math.PI + 0.05)))).toBeLessThan(0.01);
  });
});
