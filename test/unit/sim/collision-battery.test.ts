import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/simulation.js';
import { createRandom } from '../../../src/time/random.js';
import { gridWorld, openRoom, run } from './helpers.js';

const quiet = { odometry: { scale_sd: 0, noise_sd: 0 }, heading: { noise_sd: 0, bias_sd: 0 }, fix: { noise_sd: 0 } };

describe('collisions', () => {
  // East wall's inner face is at x = 19.5 m.
  it('stops the rover against a wall, counts one collision and presses both bumpers', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 17, y: 10, theta: 0 } }), quiet, createRandom(1));
    run(sim, 8, { v: 0.5, w: 0 });
    const t = sim.truth();
    expect(t.pose.x).toBeCloseTo(19.5 - 0.2, 3);
    expect(t.collisions).toBe(1);
    expect(t.v).toBe(0);
    const s = sim.readSensors();
    expect(s.bump_left && s.bump_right).toBe(true);
    expect(sim.eventLog().filter((e) => e.kind === 'collision')).toHaveLength(1);
  });

  it('counts a new collision only after backing away and hitting again', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 18, y: 10, theta: 0 } }), quiet, createRandom(1));
    run(sim, 5, { v: 0.5, w: 0 });
    run(sim, 1, { v: 0, w: 0 });
    run(sim, 1, { v: 0.5, w: 0 });
    expect(sim.truth().collisions).toBe(1);
    run(sim, 1, { v: -0.3, w: 0 });
    expect(sim.readSensors().bump_left).toBe(false);
    run(sim, 3, { v: 0.5, w: 0 });
    expect(sim.truth().collisions).toBe(2);
  });

  it('presses only the bumper on the side that touches', () => {
    // Heading 45° toward the north-east corner along the east wall: the wall is on the right.
    const sim = new Simulation(openRoom().with({ start: { x: 19.1, y: 10, theta: Math.PI / 4 } }), quiet, createRandom(1));
    run(sim, 2, { v: 0.3, w: 0 });
    const s = sim.readSensors();
    expect(sim.truth().collisions).toBe(1);
    expect(s.bump_right).toBe(true);
    expect(s.bump_left).toBe(false);
  });

  it('refuses a start that overlaps an obstacle, naming the map', () => {
    expect(() => new Simulation(openRoom().with({ start: { x: 0.6, y: 10, theta: 0 } }), {}, createRandom(1))).toThrow(/overlaps an obstacle in map "test"/);
  });

  it('loses the rover when it drives over a cliff, after the cliff sensor warned', () => {
    const world = gridWorld(['##########', '#S....XX.#', '#B.......#', '##########']);
    const sim = new Simulation(world, quiet, createRandom(1));
    expect(sim.readSensors().cliff).toBe(false);
    let warned = false;
    for (let i = 0; i < 2000 && !sim.truth().lost; i++) {
      if (sim.readSensors().cliff) warned = true;
      sim.step(10, { v: 0.3, w: 0 });
    }
    const t = sim.truth();
    expect(warned).toBe(true);
    expect(t.lost).toBe(true);
    expect(t.lost_reason).toMatch(/cliff/);
    const x = t.pose.x;
    run(sim, 1, { v: 0.3, w: 0 });
    expect(sim.truth().pose.x).toBe(x);
    expect(sim.eventLog().some((e) => e.kind === 'lost')).toBe(true);
  });
});

describe('battery', () => {
  const params = { ...quiet, battery: { capacity_wh: 10, idle_w: 3.6, drive_w_per_mps: 36, charge_w: 72 } };

  it('draws idle power when standing still', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 10, y: 10, theta: 0 } }), params, createRandom(1));
    run(sim, 100, {});
    // 3.6 W for 100 s = 0.1 Wh.
    expect(sim.truth().energy_used_wh).toBeCloseTo(0.1, 6);
    expect(sim.readSensors().battery).toBeCloseTo(0.99, 6);
  });

  it('drains more when moving, more on soft ground and more on a slope', () => {
    const used = (setup: (w: ReturnType<typeof openRoom>) => void): number => {
      const world = openRoom();
      setup(world);
      const sim = new Simulation(world.with({ start: { x: 3, y: 10, theta: 0 } }), params, createRandom(1));
      run(sim, 10, { v: 0.3, w: 0 });
      return sim.truth().energy_used_wh;
    };
    const idle = 0.01;
    const firm = used(() => {});
    const soft = used((w) => w.soft.fill(1));
    const slope = used((w) => w.slope.fill(20));
    expect(firm).toBeGreaterThan(idle * 2);
    expect(soft - idle).toBeCloseTo((firm - idle) * 2, 6);
    expect(slope - idle).toBeCloseTo((firm - idle) * (1 + 3 * Math.sin((20 * Math.PI) / 180)), 6);
  });

  it('charges at the base only while stopped, and logs when charging starts and stops', () => {
    const world = openRoom();
    const sim = new Simulation(world.with({ start: { x: world.base.x, y: world.base.y, theta: 0 } }), { ...params, battery: { ...params.battery, initial: 0.5 } }, createRandom(1));
    run(sim, 50, {});
    const s = sim.readSensors();
    expect(s.at_base).toBe(true);
    expect(s.charging).toBe(true);
    // (72 - 3.6) W for 50 s = 0.95 Wh of 10.
    expect(s.battery).toBeCloseTo(0.5 + 0.095, 4);
    run(sim, 1, { v: 0.2, w: 0 });
    expect(sim.readSensors().charging).toBe(false);
    expect(sim.eventLog().map((e) => e.kind)).toEqual(['charging_started', 'charging_stopped']);
    run(sim, 3, { v: 0.4, w: 0 });
    run(sim, 1, {});
    expect(sim.readSensors().at_base).toBe(false);
    expect(sim.readSensors().charging).toBe(false);
  });

  it('never charges above full', () => {
    const world = openRoom();
    const sim = new Simulation(world.with({ start: { x: world.base.x, y: world.base.y, theta: 0 } }), params, createRandom(1));
    run(sim, 100, {});
    expect(sim.readSensors().battery).toBeCloseTo(1, 9);
    expect(sim.truth().battery_min).toBeCloseTo(1, 9);
    expect(sim.truth().energy_charged_wh).toBeCloseTo(sim.truth().energy_used_wh, 9);
  });

  it('stops the motors when empty and tracks the minimum', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 3, y: 10, theta: 0 } }), { ...params, battery: { ...params.battery, initial: 0.001 } }, createRandom(1));
    run(sim, 20, { v: 0.3, w: 0 });
    const t = sim.truth();
    expect(t.depleted).toBe(true);
    expect(t.battery).toBe(0);
    expect(t.battery_min).toBe(0);
    expect(t.v).toBe(0);
    expect(t.pose.x).toBeLessThan(3 + 1);
    expect(sim.eventLog().filter((e) => e.kind === 'battery_empty')).toHaveLength(1);
  });
});
