import { describe, expect, it } from 'vitest';
import { INPUT_POINT_NAMES, OUTPUT_POINT_NAMES, roverPoints } from '../../../sim/rover/points.js';
import { castRay } from '../../../sim/rover/ray-cast.js';
import { createRoverParams } from '../../../sim/rover/rover-params.js';
import { Simulation } from '../../../sim/simulation.js';
import { pointSchema } from '../../../src/contracts/device.js';
import { createRandom } from '../../../src/time/random.js';
import { gridWorld, openRoom, run } from './helpers.js';

function drive(seed: number): unknown[] {
  const sim = new Simulation(openRoom().with({ start: { x: 5, y: 5, theta: 0.3 } }), {}, createRandom(seed));
  const out: unknown[] = [];
  for (let i = 0; i < 300; i++) {
    sim.step(10, { v: 0.4, w: 0.2 });
    if (i % 20 === 0) out.push(sim.readSensors(i * 10));
  }
  return out;
}

describe('sensors', () => {
  it('publishes exactly the input points, with values that match their types', () => {
    const sim = new Simulation(openRoom(), {}, createRandom(1));
    const values = sim.readSensors() as Record<string, unknown>;
    expect(Object.keys(values).sort()).toEqual([...INPUT_POINT_NAMES].sort());
    const points = roverPoints();
    for (const p of points) pointSchema.parse(p);
    expect(points.filter((p) => p.direction === 'in').map((p) => p.name)).toEqual([...INPUT_POINT_NAMES]);
    expect(points.filter((p) => p.direction === 'out').map((p) => p.name)).toEqual([...OUTPUT_POINT_NAMES]);
    for (const p of points.filter((q) => q.direction === 'in')) {
      const v = values[p.name];
      if (p.type === 'bool') expect(typeof v).toBe('boolean');
      if (p.type === 'number') expect(typeof v).toBe('number');
      if (p.type === 'number[]') expect(Array.isArray(v)).toBe(true);
    }
    for (const p of points.filter((q) => q.direction === 'out')) expect(p.safe === 0 || p.safe === false).toBe(true);
  });

  it('gives the same readings for the same seed and different ones for another', () => {
    expect(drive(42)).toEqual(drive(42));
    expect(drive(43)).not.toEqual(drive(42));
  });

  it('measures the distance to walls along each ray', () => {
    // Rover at (10, 10) facing east in a 20x20 m room with inner faces at 0.5 and 19.5 m.
    const world = openRoom().with({ start: { x: 10, y: 10, theta: 0 } });
    const sim = new Simulation(world, { range: { rays: 5, fov_deg: 180, max_m: 20, noise_sd: 0, resolution_m: 0 } }, createRandom(1));
    const r = sim.readSensors().range!;
    expect(r[0]).toBeCloseTo(9.5, 9); // right: south wall
    expect(r[2]).toBeCloseTo(9.5, 9); // ahead: east wall
    expect(r[4]).toBeCloseTo(9.5, 9); // left: north wall
    expect(r[1]).toBeCloseTo(9.5 * Math.SQRT2, 9); // 45° right
  });

  it('reports readings at each sensor\'s resolution (short decimals on the wire), headings within [-π, π]', () => {
    const world = openRoom().with({ start: { x: 10, y: 10, theta: Math.PI - 0.0002 } });
    const sim = new Simulation(world, { heading: { noise_sd: 0, bias_sd: 0 } }, createRandom(1));
    run(sim, 3, { v: 0.3, w: 0 });
    const v = sim.readSensors();
    const decimals = (x: number): number => (String(x).split('.')[1] ?? '').length;
    for (const r of v.range!) expect(decimals(r)).toBeLessThanOrEqual(3);
    expect(decimals(v.odom_left)).toBeLessThanOrEqual(4);
    expect(v.odom_left).toBeGreaterThan(0.5);
    expect(decimals(v.fix_x)).toBeLessThanOrEqual(2);
    expect(decimals(v.battery)).toBeLessThanOrEqual(3);
    expect(Math.abs(v.heading)).toBeLessThanOrEqual(Math.PI);
    expect(decimals(v.heading)).toBeLessThanOrEqual(3);
    // Exact readings when asked for (resolution 0).
    const exact = new Simulation(world, { odometry: { resolution_m: 0 } }, createRandom(1));
    run(exact, 3, { v: 0.3, w: 0 });
    expect(decimals(exact.readSensors().odom_left)).toBeGreaterThan(4);
  });

  it('ray casting hits the near face of a block at any angle and caps at max range', () => {
    const world = gridWorld(['##########', '#........#', '#....#...#', '#........#', '#B.......#', '##########']);
    // Block cell (5, 3): x 2.5..3.0, y 1.5..2.0.
    expect(castRay(world, 1.0, 1.75, 0, 10)).toBeCloseTo(1.5, 9);
    expect(castRay(world, 2.75, 0.75, Math.PI / 2, 10)).toBeCloseTo(0.75, 9);
    expect(castRay(world, 1.0, 1.75, 0, 1.2)).toBe(1.2);
    expect(castRay(world, 1.0, 1.0, Math.atan2(0.75, 1.75), 10)).toBeCloseTo(Math.hypot(1.5, 0.5 * (0.75 / 1.75) * 3), 9);
  });

  it('remembers the obstacle cells its rays have hit', () => {
    const world = gridWorld(['##########', '#S...?...#', '#B.......#', '##########']);
    const rock = world.unknownObstacleCells()[0];
    const sim = new Simulation(world, { range: { rays: 3, fov_deg: 90 } }, createRandom(1));
    expect(sim.seenObstacles()[rock]).toBe(0);
    sim.readSensors();
    expect(sim.seenObstacles()[rock]).toBe(1);
    const hit = { cell: 0 };
    expect(castRay(world, 0.75, 1.25, 0, 10, hit)).toBeCloseTo(2.5 - 0.75, 9);
    expect(hit.cell).toBe(rock);
    castRay(world, 0.75, 1.25, 0, 1, hit);
    expect(hit.cell).toBe(-1);
  });

  it('adds noise to the ranges with the configured spread', () => {
    const world = openRoom().with({ start: { x: 10, y: 10, theta: 0 } });
    const sim = new Simulation(world, { range: { rays: 1, max_m: 20, noise_sd: 0.05 } }, createRandom(9));
    const xs = Array.from({ length: 2000 }, () => sim.readSensors().range![0]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(9.5, 2);
    expect(sd).toBeGreaterThan(0.04);
    expect(sd).toBeLessThan(0.06);
  });

  it('updates the position fix only at its rate, stamped on the reader clock', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 5, y: 10, theta: 0 } }), { fix: { rate_hz: 1, noise_sd: 0.1 } }, createRandom(3));
    const first = sim.readSensors(5000);
    expect(first.fix_t).toBe(5);
    run(sim, 0.5, { v: 0.5, w: 0 });
    const mid = sim.readSensors(5500);
    expect(mid.fix_x).toBe(first.fix_x);
    expect(mid.fix_t).toBe(5);
    run(sim, 0.5, { v: 0.5, w: 0 });
    const next = sim.readSensors(6000);
    expect(next.fix_x).not.toBe(first.fix_x);
    expect(next.fix_t).toBe(6);
    expect(Math.abs(next.fix_x - sim.truth().pose.x)).toBeLessThan(0.5);
  });

  it('odometry drifts by a per-seed scale error but tracks the distance', () => {
    const odo = (seed: number): number => {
      const sim = new Simulation(openRoom().with({ start: { x: 3, y: 10, theta: 0 } }), { odometry: { scale_sd: 0.02, noise_sd: 0.003 } }, createRandom(seed));
      run(sim, 20, { v: 0.5, w: 0 });
      const s = sim.readSensors();
      expect(s.odom_left).toBeGreaterThan(sim.truth().distance_m * 0.9);
      expect(s.odom_left).toBeLessThan(sim.truth().distance_m * 1.1);
      return s.odom_left - s.odom_right;
    };
    const a = odo(1);
    const b = odo(2);
    expect(a).not.toBe(0);
    expect(a).not.toBe(b);
  });

  it('reads heading with noise around the true heading', () => {
    const sim = new Simulation(openRoom().with({ start: { x: 10, y: 10, theta: 3.1 } }), {}, createRandom(4));
    for (let i = 0; i < 50; i++) {
      const h = sim.readSensors().heading;
      expect(Math.abs(Math.atan2(Math.sin(h - 3.1), Math.cos(h - 3.1)))).toBeLessThan(0.08);
      expect(h).toBeLessThanOrEqual(Math.PI);
    }
  });

  it('drops rays to NaN, or stops publishing them, inside a dropout window', () => {
    const events = [
      { kind: 'range_dropout' as const, start_s: 1, end_s: 2, mode: 'nan' as const, fraction: 1 },
      { kind: 'range_dropout' as const, start_s: 3, end_s: 4, mode: 'silent' as const, fraction: 1 },
      { kind: 'range_dropout' as const, start_s: 5, end_s: 6, mode: 'nan' as const, fraction: 0.5 },
    ];
    const sim = new Simulation(openRoom().with({ start: { x: 10, y: 10, theta: 0 } }), {}, createRandom(5), { events });
    expect(sim.readSensors().range_ok).toBe(true);
    run(sim, 1.5, {});
    const nan = sim.readSensors();
    expect(nan.range_ok).toBe(false);
    expect(nan.range!.every(Number.isNaN)).toBe(true);
    run(sim, 2, {});
    const silent = sim.readSensors();
    expect(silent.range_ok).toBe(false);
    expect('range' in silent).toBe(false);
    run(sim, 2, {});
    const some = sim.readSensors().range!;
    const dropped = some.filter(Number.isNaN).length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(some.length);
    run(sim, 1, {});
    const back = sim.readSensors();
    expect(back.range_ok).toBe(true);
    expect(back.range!.some(Number.isNaN)).toBe(false);
    expect(sim.eventLog().map((e) => e.kind)).toEqual([
      'range_dropout_started',
      'range_dropout_ended',
      'range_dropout_started',
      'range_dropout_ended',
      'range_dropout_started',
      'range_dropout_ended',
    ]);
  });

  it('reports slope, soft ground and the base', () => {
    const world = gridWorld(['########', '#S.^^~.#', '#B.....#', '########'], 0.5, 'slope_deg: 12\n');
    const sim = new Simulation(world, { range: { noise_sd: 0 } }, createRandom(1));
    expect(sim.readSensors().at_base).toBe(true);
    run(sim, 2.2, { v: 0.5, w: 0 });
    const s = sim.readSensors();
    expect(s.slope_deg).toBe(12);
    expect(s.soft).toBe(false);
    expect(s.at_base).toBe(false);
  });

  it('validates rover parameters, naming the field', () => {
    expect(() => createRoverParams({ wheel_base: -1 })).toThrow(/rover params: wheel_base/);
    expect(() => createRoverParams({ range: { rays: 0 } })).toThrow(/rover params: range\.rays/);
  });
});

describe('sampling', () => {
  const world = () => gridWorld(['##########', '#S.A.....#', '#B.......#', '##########']);

  it('samples a target after standing still with the output held on', () => {
    const sim = new Simulation(world().with({ start: { x: 1.7, y: 1.25, theta: 0 } }), { sample: { duration_s: 3 } }, createRandom(1));
    sim.step(10, { sample: true });
    expect(sim.readSensors().sampling).toBe(true);
    run(sim, 2.9, { sample: true });
    expect(sim.truth().targets_sampled).toEqual([]);
    run(sim, 0.2, { sample: true });
    expect(sim.truth().targets_sampled).toEqual(['A']);
    const s = sim.readSensors();
    expect(s.sample_ok).toBe(true);
    expect(s.sampling).toBe(false);
    expect(sim.eventLog().map((e) => e.kind)).toEqual(['sample_started', 'target_sampled']);
  });

  it('fails away from a target, and aborts if the rover moves', () => {
    const far = new Simulation(world(), {}, createRandom(1));
    far.step(10, { sample: true });
    expect(far.readSensors().sample_ok).toBe(false);
    expect(far.eventLog().filter((e) => e.kind.startsWith('sample')).map((e) => e.kind)).toEqual(['sample_failed']);
    const moving = new Simulation(world().with({ start: { x: 1.7, y: 1.25, theta: 0 } }), {}, createRandom(1));
    moving.step(10, { sample: true });
    run(moving, 1, { sample: true, v: 0.2 });
    expect(moving.readSensors().sampling).toBe(false);
    expect(moving.truth().targets_sampled).toEqual([]);
    expect(moving.eventLog().map((e) => e.kind)).toEqual(['sample_started', 'sample_failed']);
  });
});
