import { describe, expect, it } from 'vitest';
import { estopMachine } from '../../../nodes/reflex/behaviors/estop-behavior.js';
import { bumpParamsSchema, createBumpMachine } from '../../../nodes/reflex/behaviors/bump-behavior.js';
import { createHazardMachine, hazardParamsSchema } from '../../../nodes/reflex/behaviors/hazard-behavior.js';
import { avoidParamsSchema, createAvoidMachine } from '../../../nodes/reflex/behaviors/avoid-behavior.js';
import { createFollowMachine, followParamsSchema } from '../../../nodes/reflex/behaviors/follow-behavior.js';
import { createWatchdogMachine, watchdogParamsSchema } from '../../../nodes/reflex/behaviors/watchdog-behavior.js';
import { createWanderMachine, wanderParamsSchema } from '../../../nodes/reflex/behaviors/wander-behavior.js';
import { createRandom } from '../../../src/time/random.js';
import { driver, reflexInput } from './reflex-fixtures.js';

const rays = (front: number, left = 5, right = 5) => [right, right, front, left, left];

describe('estop behavior', () => {
  it('stops in the step the button is read and stays latched until reset with the button released', () => {
    const d = driver(estopMachine);
    expect(d.step(reflexInput(0))).toEqual({});
    expect(d.step(reflexInput(10, { sensors: { estop: true } }))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(20))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(30, { resetEstop: true, sensors: { estop: true } }))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(40, { resetEstop: true }))).toEqual({});
    expect(d.state).toBe('armed');
  });
});

describe('bump behavior', () => {
  const p = bumpParamsSchema.parse({ backoff_v: 0.1, backoff_ms: 500, turn_w: 1, turn_ms: 600 });
  it('backs off at once, then turns away from the bumped side, then goes idle', () => {
    const d = driver(createBumpMachine(p));
    d.step(reflexInput(0));
    expect(d.step(reflexInput(10, { sensors: { bump_left: true } }))).toEqual({ v: -0.1, w: 0 });
    expect(d.step(reflexInput(509))).toEqual({ v: -0.1, w: 0 });
    expect(d.step(reflexInput(510))).toEqual({ v: 0, w: -1 });
    expect(d.step(reflexInput(1109))).toEqual({ v: 0, w: -1 });
    expect(d.step(reflexInput(1110))).toEqual({});
  });
  it('turns left after a right bump, and backs off again on a new bump while turning', () => {
    const d = driver(createBumpMachine(p));
    d.step(reflexInput(0, { sensors: { bump_right: true } }));
    expect(d.step(reflexInput(500))).toEqual({ v: 0, w: 1 });
    expect(d.step(reflexInput(600, { sensors: { bump_left: true } }))).toEqual({ v: -0.1, w: 0 });
    expect(d.step(reflexInput(1100))).toEqual({ v: 0, w: -1 });
  });
});

describe('hazard behavior', () => {
  const d0 = () => driver(createHazardMachine(hazardParamsSchema.parse({ max_slope_deg: 20, clear_ms: 200 })));
  it('holds forward motion at 0 on a cliff ahead, but lets the rover turn away', () => {
    const d = d0();
    d.step(reflexInput(0));
    expect(d.step(reflexInput(10, { sensors: { cliff: true } }))).toEqual({ v: 0 });
    // A cliff and bad data together: both wheels stop.
    expect(d.step(reflexInput(20, { sensors: { cliff: true }, faults: [{ source: 'range', problem: 'nan' as const, detail: 'x' }] }))).toEqual({ v: 0, w: 0 });
  });
  it.each([
    ['steep slope', { sensors: { slope_deg: -25 } }],
    ['a sensor fault', { faults: [{ source: 'range', problem: 'nan' as const, detail: 'ray 0 reads NaN' }] }],
  ])('stops on %s in the same step', (_name, over) => {
    const d = d0();
    d.step(reflexInput(0));
    expect(d.step(reflexInput(10, over))).toEqual({ v: 0, w: 0 });
  });
  it('crosses soft ground slowly instead of stopping on it (it would strand the rover)', () => {
    const d = d0();
    expect(d.step(reflexInput(0, { sensors: { soft: true }, parentCommand: { v: 0.4, w: 0.2 } }))).toEqual({ v: 0.15 });
    expect(d.step(reflexInput(10, { sensors: { soft: true }, parentCommand: { v: -0.3, w: 0 } }))).toEqual({ v: -0.15 });
    expect(d.step(reflexInput(20, { sensors: { soft: true }, parentCommand: { v: 0.1, w: 0 } }))).toEqual({ v: 0.1 });
    expect(d.step(reflexInput(30, { parentCommand: { v: 0.4, w: 0 } }))).toEqual({});
  });
  it('resumes only after the hazard has been clear for clear_ms', () => {
    const d = d0();
    d.step(reflexInput(0, { sensors: { slope_deg: 30 } }));
    d.step(reflexInput(10));
    expect(d.step(reflexInput(100, { sensors: { slope_deg: 30 } }))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(110))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(309))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(310))).toEqual({});
  });
});

describe('avoid behavior', () => {
  const p = avoidParamsSchema.parse({ slow_m: 1, avoid_m: 0.6, stop_m: 0.3, hysteresis_m: 0.05, slow_v: 0.2, turn_v: 0.05, turn_w: 0.8 });
  it('slows, turns toward the open side, and stops forward motion as the obstacle nears', () => {
    const d = driver(createAvoidMachine(p));
    const cmd = { parentCommand: { v: 0.4, w: 0 } };
    expect(d.step(reflexInput(0, { ...cmd, sensors: { range: rays(2) } }))).toEqual({});
    expect(d.step(reflexInput(10, { ...cmd, sensors: { range: rays(0.9) } }))).toEqual({ v: 0.2 });
    expect(d.step(reflexInput(20, { ...cmd, sensors: { range: rays(0.5, 4, 1) } }))).toEqual({ v: 0.05, w: 0.8 });
    expect(d.step(reflexInput(30, { ...cmd, sensors: { range: rays(0.2, 1, 4) } }))).toEqual({ v: 0, w: 0.8 });
    expect(d.state).toBe('stop');
  });
  it('jumps straight to stop when an obstacle appears close, and leaves zones with hysteresis', () => {
    const d = driver(createAvoidMachine(p));
    expect(d.step(reflexInput(0, { sensors: { range: rays(0.25, 1, 3) } }))).toEqual({ v: 0, w: -0.8 });
    expect(d.step(reflexInput(10, { sensors: { range: rays(0.33) } })).v).toBe(0);
    expect(d.step(reflexInput(20, { sensors: { range: rays(0.36) } }))).toEqual({ v: 0.05, w: -0.8 });
    expect(d.step(reflexInput(30, { sensors: { range: rays(0.64) } })).w).toBe(-0.8);
    expect(d.step(reflexInput(40, { sensors: { range: rays(0.66) } }))).toEqual({ v: 0.2 });
    expect(d.step(reflexInput(50, { sensors: { range: rays(1.1) } }))).toEqual({});
  });
  it('lets the parent turn the rover on the spot beside an obstacle, holding only forward motion', () => {
    const d = driver(createAvoidMachine(p));
    // Obstacle at 0.5 m in front-right; the parent turns toward it without moving forward.
    const near = { range: rays(0.5, 1, 4) };
    expect(d.step(reflexInput(0, { parentCommand: { v: 0, w: -1.2 }, sensors: near }))).toEqual({ v: 0 });
    expect(d.state).toBe('turn');
    // As soon as the parent drives forward, avoid turns away again and caps the speed.
    expect(d.step(reflexInput(10, { parentCommand: { v: 0.3, w: -1.2 }, sensors: near }))).toEqual({ v: 0.05, w: -0.8 });
    // In the stop zone too: the turn on the spot passes, forward motion does not.
    expect(d.step(reflexInput(20, { parentCommand: { v: 0, w: 1 }, sensors: { range: rays(0.2, 1, 4) } }))).toEqual({ v: 0 });
    expect(d.state).toBe('stop');
    expect(d.step(reflexInput(30, { parentCommand: { v: 0.3, w: 0 }, sensors: { range: rays(0.2, 1, 4) } }))).toEqual({ v: 0, w: -0.8 });
  });
  it('ignores obstacles outside the front cone and never speeds up a slower command', () => {
    const d = driver(createAvoidMachine({ ...p, cone_deg: 45 }));
    expect(d.step(reflexInput(0, { sensors: { range: [0.1, 5, 5, 5, 0.1] } }))).toEqual({});
    expect(d.step(reflexInput(10, { parentCommand: { v: 0.1, w: 0 }, sensors: { range: rays(0.9) } }))).toEqual({ v: 0.1 });
  });
});

describe('follow behavior', () => {
  const d0 = () => driver(createFollowMachine(followParamsSchema.parse({ heading_gain: 2 })));
  it('drives the commanded v and w, and is silent without a command', () => {
    const d = d0();
    expect(d.step(reflexInput(0, { parentCommand: { v: 0.3, w: -0.2 } }))).toEqual({ v: 0.3, w: -0.2 });
    expect(d.step(reflexInput(10, { parentCommand: undefined }))).toEqual({});
  });
  it('holds a heading by turning toward it the short way round, and stops without a heading reading', () => {
    const d = d0();
    const out = d.step(reflexInput(0, { parentCommand: { v: 0.2, heading_rad: -3 }, sensors: { heading_rad: 3 } }));
    expect(out.v).toBe(0.2);
    expect(out.w).toBeCloseTo(2 * (2 * Math.PI - 6), 9);
    expect(d.step(reflexInput(10, { parentCommand: { v: 0.2, heading_rad: 1 }, sensors: { heading_rad: undefined } }))).toEqual({ v: 0, w: 0 });
  });
});

describe('watchdog behavior', () => {
  it('stops until the parent is heard, after N silent parent periods, and resumes when it is back', () => {
    const d = driver(createWatchdogMachine(watchdogParamsSchema.parse({ parent_periods: 3 })));
    expect(d.step(reflexInput(0, { parentLastHeardAt: undefined }))).toEqual({ v: 0, w: 0 });
    expect(d.step(reflexInput(10, { parentLastHeardAt: 5 }))).toEqual({});
    expect(d.step(reflexInput(305, { parentLastHeardAt: 5 }))).toEqual({});
    expect(d.step(reflexInput(306, { parentLastHeardAt: 5 }))).toEqual({ v: 0, w: 0 });
    expect(d.state).toBe('lost');
    expect(d.step(reflexInput(400, { parentLastHeardAt: 399 }))).toEqual({});
  });
});

describe('wander behavior', () => {
  const p = wanderParamsSchema.parse({ enabled: true, cruise_v: 0.2, turn_w: 0.6, cruise_ms: [100, 200], turn_ms: [50, 60] });
  const run = (seed: string) => {
    const d = driver(createWanderMachine(p, createRandom(seed)));
    const trace: string[] = [];
    for (let t = 0; t <= 2000; t += 10) {
      const out = d.step(reflexInput(t, { parentCommand: undefined }));
      trace.push(`${d.state}:${out.v},${out.w}`);
    }
    return trace;
  };
  it('cruises and turns with seeded random durations: the same seed gives the same run', () => {
    const a = run('s1');
    expect(a).toEqual(run('s1'));
    expect(a).not.toEqual(run('s2'));
    expect(a).toContain('cruise:0.2,0');
    expect(a.some((s) => s === 'turn:0,0.6' || s === 'turn:0,-0.6')).toBe(true);
  });
  it('is off while the parent commands motion, or when disabled', () => {
    const d = driver(createWanderMachine(p, createRandom(1)));
    expect(d.step(reflexInput(0))).toEqual({});
    const off = driver(createWanderMachine(wanderParamsSchema.parse({}), createRandom(1)));
    expect(off.step(reflexInput(0, { parentCommand: undefined }))).toEqual({});
  });
});
