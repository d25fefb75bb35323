import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wheelsFromTwist, wrapAngle } from '../../../sim/rover/kinematics.js';
import { Simulation } from '../../../sim/simulation.js';
import { createRandom } from '../../../src/time/random.js';
import { openRoom, run } from './helpers.js';

const quiet = { odometry: { scale_sd: 0, noise_sd: 0 }, heading: { noise_sd: 0, bias_sd: 0 }, fix: { noise_sd: 0 } };

function simAt(x: number, y: number, theta: number, params: object = quiet): Simulation {
  const world = openRoom().with({ start: { x, y, theta } });
  return new Simulation(world, params, createRandom(1));
}

describe('differential drive kinematics', () => {
  it('drives a straight line, ramping up at the acceleration limit', () => {
    const sim = simAt(5, 10, 0);
    run(sim, 10, { v: 0.5, w: 0 });
    const t = sim.truth();
    // 0.5 s ramp at 1 m/s² covers 0.125 m, then 9.5 s at 0.5 m/s.
    expect(t.pose.x - 5).toBeCloseTo(0.125 + 0.5 * 9.5, 2);
    expect(t.pose.y).toBeCloseTo(10, 9);
    expect(t.pose.theta).toBeCloseTo(0, 9);
    expect(t.distance_m).toBeCloseTo(4.875, 2);
  });

  it('drives along the heading in any direction', () => {
    const sim = simAt(10, 10, Math.PI / 2);
    run(sim, 4, { v: 0.5, w: 0 });
    const t = sim.truth();
    expect(t.pose.x).toBeCloseTo(10, 9);
    expect(t.pose.y).toBeGreaterThan(11.5);
  });

  it('turns in place without moving', () => {
    const sim = simAt(10, 10, 0);
    // w = 1 rad/s needs wheels at ±0.2 m/s: reached in 0.2 s, so the ramp loses 0.1 rad.
    run(sim, 1, { v: 0, w: 1 });
    const t = sim.truth();
    expect(Math.abs(t.pose.theta - 0.9)).toBeLessThan(0.01);
    expect(t.pose.x).toBeCloseTo(10, 9);
    expect(t.pose.y).toBeCloseTo(10, 9);
    expect(t.distance_m).toBe(0);
  });

  it('limits acceleration and deceleration of each wheel', () => {
    const sim = simAt(5, 10, 0);
    run(sim, 0.1, { v: 0.6, w: 0 });
    expect(sim.truth().v).toBeCloseTo(0.1, 6);
    run(sim, 1, { v: 0.6, w: 0 });
    expect(sim.truth().v).toBeCloseTo(0.6, 6);
    run(sim, 0.2, { v: -0.6, w: 0 });
    expect(sim.truth().v).toBeCloseTo(0.4, 6);
  });

  it('clamps wheel speeds to the maximum and takes wheel velocities directly', () => {
    const sim = simAt(5, 10, 0);
    run(sim, 2, { left: 5, right: 5 });
    expect(sim.truth().v).toBeCloseTo(0.6, 6);
    const arc = simAt(10, 10, 0);
    run(arc, 2, { left: 0.2, right: 0.4 });
    expect(arc.truth().w).toBeCloseTo(0.5, 6);
  });

  it('keeps the commanded curvature when saturating', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (v, w) => {
        const [l, r] = wheelsFromTwist(v, w, 0.4, 0.6, [0, 0]);
        expect(Math.abs(l)).toBeLessThanOrEqual(0.6 + 1e-12);
        expect(Math.abs(r)).toBeLessThanOrEqual(0.6 + 1e-12);
        const vOut = (l + r) / 2;
        const wOut = (r - l) / 0.4;
        // Same ratio w/v (cross product zero), same signs.
        expect(Math.abs(vOut * w - wOut * v)).toBeLessThan(1e-9 * (1 + Math.abs(v * w)));
        if (Math.abs(v) > 1e-9) expect(Math.sign(vOut)).toBe(Math.sign(v));
      }),
    );
  });

  it('wraps angles to (-π, π]', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (a) => {
        const r = wrapAngle(a);
        expect(r).toBeGreaterThan(-Math.PI);
        expect(r).toBeLessThanOrEqual(Math.PI);
        expect(Math.cos(r)).toBeCloseTo(Math.cos(a), 9);
        expect(Math.sin(r)).toBeCloseTo(Math.sin(a), 9);
      }),
    );
  });

  it('slips on soft ground: the rover moves less than its wheels turn', () => {
    const world = openRoom();
    for (let i = 0; i < world.soft.length; i++) world.soft[i] = 1;
    const sim = new Simulation(world.with({ start: { x: 5, y: 10, theta: 0 } }), quiet, createRandom(1));
    run(sim, 5, { v: 0.4, w: 0 });
    const s = sim.readSensors();
    expect(sim.truth().distance_m).toBeCloseTo(s.odom_left * 0.7, 6);
    expect(s.soft).toBe(true);
  });

  it('stops everything while the e-stop is pressed', () => {
    const sim = simAt(5, 10, 0);
    run(sim, 1, { v: 0.5, w: 0 });
    sim.setEstop(true);
    sim.step(10, { v: 0.5, w: 0 });
    const x = sim.truth().pose.x;
    run(sim, 1, { v: 0.5, w: 0 });
    expect(sim.truth().pose.x).toBe(x);
    expect(sim.readSensors().estop).toBe(true);
    sim.setEstop(false);
    run(sim, 1, { v: 0.5, w: 0 });
    expect(sim.truth().pose.x).toBeGreaterThan(x + 0.2);
    expect(sim.eventLog().map((e) => e.kind)).toEqual(['estop_on', 'estop_off']);
  });
});
