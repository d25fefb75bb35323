import { describe, expect, it } from 'vitest';
import {
  checkPlan,
  createRoverDomain,
  euclideanDistance,
  planHtn,
  planView,
  repairPlan,
  roverMission,
  type RoverModel,
  type RoverState,
} from '../../../src/planning/index.js';
import { roverHtnMission } from '../../support/rover-htn-fixture.js';

const scenario = roverHtnMission;

describe('rover domain', () => {
  it('plans a 20-target sampling mission with recharging and unloading, never below the reserve', () => {
    const { domain, state, model } = scenario(20);
    const plan = planHtn(domain, state, [roverMission]);
    expect(plan.complete).toBe(true);
    expect([...plan.final.delivered].sort()).toEqual([...state.targets].sort());
    expect(plan.final.position).toBe('base');
    expect(plan.final.carrying).toEqual([]);
    const tasks = plan.steps.map((s) => s.task);
    expect(tasks).toContain('recharge');
    expect(tasks.filter((t) => t === 'drop').length).toBeGreaterThanOrEqual(4); // capacity 5, 20 samples
    for (const s of plan.steps) {
      const atCharger = s.after.position === 'base' || s.after.chargers.includes(s.after.position);
      expect(s.after.battery).toBeGreaterThanOrEqual(atCharger ? 0 : model.reserve - 1e-12);
      expect(s.after.carrying.length).toBeLessThanOrEqual(5);
    }
    // The plan is consistent: replayed from the start, every precondition holds.
    expect(checkPlan(domain, { plan, step: 0, state })).toBeUndefined();
  });

  it('backtracks: driving straight to the target works, but sampling there would break the reserve', () => {
    const points = { base: { x: 0, y: 0 }, rock: { x: 100, y: 0 } };
    const model: RoverModel = { distance: euclideanDistance(points), speed: 1, energyPerMetre: 0.001, sampleS: 10, sampleEnergy: 0.35, dropS: 5, rechargeRate: 0.01, reserve: 0.1 };
    const domain = createRoverDomain(model);
    const state: RoverState = { position: 'base', battery: 0.5, base: 'base', chargers: [], targets: ['rock'], carrying: [], delivered: [], skipped: [], capacity: 2 };
    const plan = planHtn(domain, state, [roverMission]);
    expect(plan.complete).toBe(true);
    expect(plan.steps.map((s) => s.label)).toEqual(['recharge', 'navigate to rock', 'sample rock', 'navigate to base', 'unload samples at base']);
    expect(plan.stats.backtracks).toBeGreaterThanOrEqual(1);
  });

  it('skips a target no charger can serve, and says so in the step label', () => {
    const points = { base: { x: 0, y: 0 }, near: { x: 50, y: 0 }, far: { x: 5000, y: 0 } };
    const model: RoverModel = { distance: euclideanDistance(points), speed: 1, energyPerMetre: 0.001, sampleS: 10, sampleEnergy: 0.01, dropS: 5, rechargeRate: 0.01, reserve: 0.1 };
    const state: RoverState = { position: 'base', battery: 1, base: 'base', chargers: [], targets: ['far', 'near'], carrying: [], delivered: [], skipped: [], capacity: 2 };
    const plan = planHtn(createRoverDomain(model), state, [roverMission]);
    expect(plan.complete).toBe(true);
    expect(plan.final.skipped).toEqual(['far']);
    expect(plan.final.delivered).toEqual(['near']);
    expect(plan.steps[0].label).toMatch(/skip far \(no charger close enough\)/);
  });

  it('repairs the plan after a failed step, from the state the rover is really in', () => {
    const { domain, state } = scenario(20);
    const plan = planHtn(domain, state, [roverMission]);
    const k = plan.steps.findIndex((s, i) => i > 6 && s.task === 'navigate');
    // The rover got stuck on the way: still at the step's start, with a lot less battery.
    const before = plan.steps[k].before;
    const actual: RoverState = { ...before, battery: before.battery - 0.15 };
    const repair = repairPlan(domain, { plan, step: k, state: actual, started: true, failed: 'wheel stuck in sand' });
    expect(repair.replanned).toBe(true);
    expect(repair.divergence?.kind).toBe('step-failed');
    expect(repair.reason).toMatch(new RegExp(`step ${k + 1} \\(${plan.steps[k].label}\\) failed: wheel stuck in sand; re-planned`));
    expect(repair.plan.complete).toBe(true);
    expect(repair.plan.initial).toBe(actual);
    expect([...repair.plan.final.delivered].sort()).toEqual([...state.targets].sort());
    expect(checkPlan(domain, { plan: repair.plan, step: 0, state: actual })).toBeUndefined();
  });

  it('detects that a later step would fail when the battery is lower than predicted, and re-plans with a recharge', () => {
    const { domain, state } = scenario(20);
    const plan = planHtn(domain, state, [roverMission]);
    const drained: RoverState = { ...state, battery: 0.12 };
    const divergence = checkPlan(domain, { plan, step: 0, state: drained });
    expect(divergence?.kind).toMatch(/precondition/);
    expect(divergence?.reason).toMatch(/battery/);
    const repair = repairPlan(domain, { plan, step: 0, state: drained });
    expect(repair.plan.complete).toBe(true);
    expect(repair.plan.steps[0].task).toBe('recharge');
  });

  it('keeps the plan while it holds, and reports state divergence through the caller’s check', () => {
    const { domain, state } = scenario(5);
    const plan = planHtn(domain, state, [roverMission]);
    const mid = plan.steps[2].before;
    expect(repairPlan(domain, { plan, step: 2, state: mid })).toMatchObject({ replanned: false, reason: 'plan holds' });
    const lower: RoverState = { ...mid, battery: mid.battery - 0.05 };
    const d = checkPlan(domain, {
      plan,
      step: 2,
      state: lower,
      diverged: (p, a) => (Math.abs(p.battery - a.battery) > 0.03 ? `battery ${a.battery.toFixed(2)}, plan expected ${p.battery.toFixed(2)}` : undefined),
    });
    expect(d?.kind).toBe('state-diverged');
  });

  it('shows the plan as the status contract draws it', () => {
    const { domain, state } = scenario(3);
    const plan = planHtn(domain, state, [roverMission]);
    const view = planView(plan, { current: 1, childOf: (t) => (t === 'navigate' ? 'navigator' : undefined), scores: { time: 1 }, madeAt: 5 });
    expect(view.steps[0]).toMatchObject({ id: 's1', state: 'done', child: 'navigator' });
    expect(view.steps[1].state).toBe('active');
    expect(view.steps[2].state).toBe('pending');
    expect(view).toMatchObject({ scores: { time: 1 }, made_at: 5 });
  });
});
