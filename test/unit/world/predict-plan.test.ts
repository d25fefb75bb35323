import { describe, expect, it } from 'vitest';
import { predictPlan, type MotionModel } from '../../../src/world/index.js';

const model: MotionModel = { speed: 2, energyPerMetre: 0.001, idlePower: 0.0001, rechargeRate: 0.01, reserve: 0.1 };
const start = { x: 0, y: 0, battery: 0.8, t: 0 };

describe('predictPlan', () => {
  it('adds up time and energy of moves, work and charging, and ends where the plan ends', () => {
    const p = predictPlan(start, [
      { kind: 'move', to: { x: 300, y: 400 } },
      { kind: 'work', durationS: 100, energy: 0.05, label: 'sample' },
      { kind: 'charge' },
      { kind: 'move', via: [{ x: 300, y: 0 }], to: { x: 0, y: 0 } },
    ], model);
    expect(p.feasible).toBe(true);
    expect(p.distance).toBeCloseTo(1200, 9);
    // Move 1: 500 m, 250 s, 0.5 + 0.025 idle. Work: 100 s, 0.05 + 0.01. Battery 0.215 -> charge 0.785 at 0.0099/s.
    expect(p.steps[0].energy).toBeCloseTo(0.525, 9);
    expect(p.steps[1]).toMatchObject({ label: 'sample', timeS: 100 });
    expect(p.steps[2].after.battery).toBeCloseTo(1, 9);
    expect(p.steps[2].timeS).toBeCloseTo(0.785 / 0.0099, 6);
    expect(p.end).toMatchObject({ x: 0, y: 0 });
    expect(p.end.battery).toBeCloseTo(1 - 0.7 - 0.035, 9);
    expect(p.minBattery).toBeCloseTo(0.215, 9);
    expect(p.energyUsed).toBeCloseTo(0.525 + 0.06 + 0.735, 9);
  });

  it('says where the battery runs out', () => {
    const p = predictPlan(start, [{ kind: 'move', to: { x: 500, y: 0 } }, { kind: 'move', to: { x: 1000, y: 0 }, label: 'to the ridge' }], model);
    expect(p.feasible).toBe(false);
    expect(p.failedStep).toBe(1);
    expect(p.reason).toMatch(/battery runs out during step 2 \(to the ridge\)/);
  });

  it('flags a plan that dips below the reserve', () => {
    const p = predictPlan(start, [{ kind: 'move', to: { x: 700, y: 0 } }], model);
    expect(p.feasible).toBe(true);
    expect(p.withinReserve).toBe(false);
    expect(p.reason).toMatch(/below the 10% reserve/);
  });

  it('charges rough terrain more time and energy', () => {
    const flat = predictPlan(start, [{ kind: 'move', to: { x: 100, y: 0 } }], { ...model, idlePower: 0 });
    const rough = predictPlan(start, [{ kind: 'move', to: { x: 100, y: 0 } }], { ...model, idlePower: 0, terrainAt: (x) => (x < 50 ? 1 : 3) });
    expect(rough.timeS).toBeCloseTo(2 * flat.timeS, 9);
    expect(rough.energyUsed).toBeCloseTo(0.2, 9);
  });
});
