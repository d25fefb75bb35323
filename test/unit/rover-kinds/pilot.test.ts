import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/contracts/ids.js';
import { pilotKind } from '../../../nodes/pilot/pilot.js';
import { clearanceAhead, pursue, rayAngles } from '../../../nodes/pilot/pure-pursuit.js';
import { pilotSenseSchema } from '../../../nodes/rover/contracts.js';
import { FakeChild, KindHarness, contextFor } from './kind-harness.js';

const angles = rayAngles(16, 180);

/** A small kinematic rover: integrates the reflex's drive {v, w} and reads like the reflex's pass-through values. */
class KinematicRover {
  odomL = 0;
  odomR = 0;
  fixT = 0;
  sampling = false;
  sampleOk = false;
  /** Range per ray (m); 5 = nothing seen. */
  ranges: number[] = angles.map(() => 5);
  constructor(
    public x: number,
    public y: number,
    public theta: number,
  ) {}

  move(args: Record<string, unknown> | undefined, dt: number): void {
    const v = typeof args?.v === 'number' ? args.v : 0;
    const w = typeof args?.w === 'number' ? args.w : 0;
    this.x += v * Math.cos(this.theta + (w * dt) / 2) * dt;
    this.y += v * Math.sin(this.theta + (w * dt) / 2) * dt;
    this.theta += w * dt;
    this.odomL += (v - (w * 0.4) / 2) * dt;
    this.odomR += (v + (w * 0.4) / 2) * dt;
  }

  read(t: number): Record<string, Json> {
    if (Math.floor(t) > this.fixT) this.fixT = Math.floor(t);
    return {
      odom_left: this.odomL,
      odom_right: this.odomR,
      heading: Math.atan2(Math.sin(this.theta), Math.cos(this.theta)),
      fix_x: this.x,
      fix_y: this.y,
      fix_t: this.fixT,
      battery: 0.8,
      charging: false,
      at_base: false,
      sampling: this.sampling,
      sample_ok: this.sampleOk,
      range: this.ranges,
      owners: { v: 'follow', w: 'follow' },
      faults: [],
    };
  }
}

function setup(start = { x: 0, y: 0, theta: 0 }) {
  const reflex = new FakeChild('reflex');
  const ctx = contextFor(pilotKind, { start }, { id: 'pilot', children: ['reflex'], periodMs: 100, parentPeriodMs: 1000 });
  const h = new KindHarness(pilotKind, ctx, { reflex });
  const rover = new KinematicRover(start.x, start.y, start.theta);
  /** One pilot cycle with the rover moving under the latest drive command. */
  const tick = () => {
    rover.move(reflex.command?.verb === 'drive' ? reflex.command.args : undefined, 0.1);
    reflex.feel(rover.read(h.now / 1000));
    return h.step();
  };
  return { h, reflex, rover, tick };
}

describe('pilot: follow', () => {
  it('tracks a straight leg and a left turn to the last waypoint, staying close to the path', () => {
    const { h, reflex, rover, tick } = setup();
    h.command('leg', 'follow', { path: [[0, 0], [5, 0], [5, 4]], speed: 0.5, tolerance: 0.2 });
    let maxOff = 0;
    for (let i = 0; i < 600 && !h.ended; i++) {
      tick();
      const off = rover.y < 0 || rover.x < 4.5 ? Math.abs(rover.y) : Math.abs(rover.x - 5);
      if (rover.x < 4 || rover.y > 1) maxOff = Math.max(maxOff, off);
    }
    expect(h.ended?.state).toBe('done');
    expect(Math.hypot(rover.x - 5, rover.y - 4)).toBeLessThan(0.3);
    expect(maxOff).toBeLessThan(0.25);
    // One drive command id for the whole task; its args were updated, not re-issued under new ids.
    const ids = new Set(reflex.sent.filter((c) => c.verb === 'drive').map((c) => c.id));
    expect([...ids]).toEqual(['leg@1']);
    expect(reflex.command?.refreshMs).toBe(200);
  });

  it('turns on the spot towards a path behind it, then drives', () => {
    const { h, reflex, tick } = setup({ x: 0, y: 0, theta: Math.PI });
    h.command('back', 'follow', { path: [[0, 0], [3, 0]], tolerance: 0.2 });
    tick();
    expect(reflex.command?.args).toMatchObject({ v: 0 });
    expect(Math.abs(reflex.command?.args?.w as number)).toBeGreaterThan(0.5);
    for (let i = 0; i < 300 && !h.ended; i++) tick();
    expect(h.ended?.state).toBe('done');
  });

  it('slows for a near obstacle ahead and stops short of one too close', () => {
    const path = { path: [[0, 0], [20, 0]], speed: 0.5, tolerance: 0.2 };
    const speedWith = (ahead: number): number => {
      const { h, reflex, rover, tick } = setup();
      rover.ranges = angles.map((a) => (Math.abs(a) < 0.15 ? ahead : 5)); // the two rays at ±6°
      h.command('go', 'follow', path);
      tick();
      return reflex.command?.args?.v as number;
    };
    const clear = speedWith(5);
    const near = speedWith(0.8);
    const tooClose = speedWith(0.3);
    expect(clear).toBeCloseTo(0.5, 3);
    expect(near).toBeGreaterThan(0);
    expect(near).toBeLessThan(clear * 0.6);
    expect(tooClose).toBe(0);
    // Obstacles beside the corridor do not slow the rover.
    expect(clearanceAhead(angles.map((a) => (Math.abs(a - Math.PI / 2) < 0.2 ? 0.5 : 5)), angles, 5, 0.3)).toBe(Infinity);
  });

  it('limits speed on tight curves (pure pursuit, pure function)', () => {
    const p = { lookahead_m: 0.6, max_v: 0.5, max_w: 1.2, max_lat_accel: 0.2, turn_in_place_rad: 1, approach_gain: 0.8, min_v: 0.08, stop_m: 0.4, slow_m: 1.2 };
    const straight = pursue([[0, 0], [10, 0]], { x: 0, y: 0, theta: 0 }, 0, { speed: 0.5, tolerance: 0.2, clearance: Infinity }, p);
    const curve = pursue([[0, 0], [0.3, 0], [0.3, 5]], { x: 0, y: 0, theta: 0 }, 0, { speed: 0.5, tolerance: 0.2, clearance: Infinity }, p);
    expect(straight).toMatchObject({ v: 0.5, w: 0, limit: 'speed' });
    expect(curve.limit).toBe('curvature');
    expect(curve.v).toBeLessThan(0.5);
    expect(curve.w).toBeGreaterThan(0);
  });
});

describe('pilot: sample and hold', () => {
  it('stops, raises the sampler, and is done when the rover reports the sample taken', () => {
    const { h, reflex, rover, tick } = setup();
    h.command('s1', 'sample', {});
    tick();
    expect(reflex.command?.args).toEqual({ v: 0, w: 0 });
    for (let i = 0; i < 10; i++) tick();
    expect(reflex.command?.args).toEqual({ v: 0, w: 0, sample: true });
    rover.sampling = true;
    for (let i = 0; i < 5; i++) tick();
    expect(h.ended).toBeUndefined();
    rover.sampling = false;
    rover.sampleOk = true;
    tick();
    expect(h.ended).toEqual({ state: 'done', reason: 'the rover reports the sample taken' });
  });

  it('fails when the rover never starts sampling (no target in reach)', () => {
    const { h, tick } = setup();
    h.command('s2', 'sample', {});
    for (let i = 0; i < 40 && !h.ended; i++) tick();
    expect(h.ended?.state).toBe('failed');
    expect(h.ended?.reason).toMatch(/did not start sampling/);
  });

  it('waits while the reflex holds the rover for a fault, then samples', () => {
    const { h, reflex, rover, tick } = setup();
    const faulty = rover.read.bind(rover);
    let faults: Json[] = ['range: stale (120 ms old)'];
    rover.read = (t: number) => ({ ...faulty(t), faults, owners: { v: faults.length ? 'hazard' : 'follow', w: 'follow' } });
    h.command('s3', 'sample', {});
    for (let i = 0; i < 40; i++) tick();
    expect(h.ended).toBeUndefined();
    faults = [];
    for (let i = 0; i < 10; i++) tick();
    expect(reflex.command?.args).toEqual({ v: 0, w: 0, sample: true });
  });

  it('holds with a zero drive, and commands stop when idle', () => {
    const { h, reflex, tick } = setup();
    tick();
    expect(reflex.command).toMatchObject({ verb: 'stop', id: 'idle1@1' });
    h.command('h', 'hold', {});
    tick();
    expect(reflex.command).toMatchObject({ id: 'h@1', verb: 'drive', args: { v: 0, w: 0 } });
  });
});

describe('pilot: sensory perception', () => {
  it('reports an EKF pose and the scan in world coordinates at the navigator period', () => {
    const { h, rover, tick } = setup({ x: 1, y: 2, theta: Math.PI / 2 });
    rover.ranges = angles.map((a, i) => (i === 0 ? 2 : 5));
    h.command('h', 'hold', {});
    const senses = [];
    for (let i = 0; i < 25; i++) {
      const out = tick();
      if (out.sense) senses.push(out.sense);
    }
    expect(senses).toHaveLength(3);
    const s = pilotSenseSchema.parse(senses[2]);
    expect(s.x).toBeCloseTo(1, 1);
    expect(s.y).toBeCloseTo(2, 1);
    expect(s.pose_sd).toBeLessThan(0.3);
    expect(s.hazard).toBeNull();
    // Ray 0 points right of the heading (-90°): from (1, 2) facing north, that is east.
    const [ex, ey, hit] = s.scan!.rays[0];
    expect(hit).toBe(true);
    expect(ex).toBeCloseTo(3, 1);
    expect(ey).toBeCloseTo(2, 1);
    expect(s.scan!.rays[1][2]).toBe(false);
    expect(h.last.health).toHaveProperty('pose_sd');
  });
});
