import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineDomain, planHtn, type HtnStep, type TaskCall } from '../../../src/planning/index.js';

interface Trip {
  readonly at: string;
  readonly cash: number;
  readonly log: readonly string[];
}

/** Taxi first (preferred), bus second: the taxi branch fails only at its last step, when paying. */
const travel = defineDomain<Trip>({
  name: 'travel',
  operators: {
    hail: { effect: (s) => ({ ...s, log: [...s.log, 'hail'] }), cost: () => ({ durationS: 60, energy: 0 }) },
    ride: { effect: (s, a) => ({ ...s, at: String(a.to) }), cost: () => ({ durationS: 600, energy: 0 }) },
    pay: {
      precondition: (s) => s.cash >= 20 || `only ${s.cash} in cash, the taxi costs 20`,
      effect: (s) => ({ ...s, cash: s.cash - 20 }),
    },
    bus: {
      precondition: (s) => s.cash >= 2,
      effect: (s, a) => ({ ...s, at: String(a.to), cash: s.cash - 2 }),
      cost: () => ({ durationS: 1800, energy: 0 }),
    },
  },
  compounds: {
    go: {
      methods: [
        { name: 'here', when: (s, a) => s.at === a.to, subtasks: () => [] },
        { name: 'taxi', subtasks: (_s, a) => [{ task: 'hail' }, { task: 'ride', args: a }, { task: 'pay' }] },
        { name: 'bus', subtasks: (_s, a) => [{ task: 'bus', args: a }] },
      ],
    },
    forever: { methods: [{ name: 'again', subtasks: () => [{ task: 'hail' }, { task: 'forever' }] }] },
  },
});

const home: Trip = { at: 'home', cash: 5, log: [] };
const goPark: TaskCall = { task: 'go', args: { to: 'park' } };

describe('planHtn', () => {
  it('backtracks out of a method that fails at its last step, leaving no trace of it', () => {
    const plan = planHtn(travel, home, [goPark]);
    expect(plan.complete).toBe(true);
    expect(plan.steps.map((s) => s.task)).toEqual(['bus']);
    expect(plan.final).toEqual({ at: 'park', cash: 3, log: [] });
    expect(plan.stats.backtracks).toBeGreaterThanOrEqual(1);
    expect(plan.stats.expansions).toBe(5); // go, hail, ride, pay (fails); back in go, the bus method: bus
    expect(plan.stoppedBy).toBe('done');
  });

  it('keeps the domain state type through the plan', () => {
    const plan = planHtn(travel, home, [goPark]);
    expectTypeOf(plan.final).toEqualTypeOf<Trip>();
    expectTypeOf(plan.steps).toEqualTypeOf<readonly HtnStep<Trip>[]>();
    expectTypeOf(plan.steps[0].before.cash).toBeNumber();
  });

  it('takes the first method when it works (method order is preference)', () => {
    const plan = planHtn(travel, { ...home, cash: 50 }, [goPark]);
    expect(plan.steps.map((s) => s.task)).toEqual(['hail', 'ride', 'pay']);
    expect(plan.total.durationS).toBe(660);
    expect(plan.stats.backtracks).toBe(0);
  });

  it('with optimize, keeps searching and returns the cheapest plan', () => {
    const slowFirst = defineDomain<Trip>({
      ...travel,
      compounds: { go: { methods: [travel.compounds.go.methods[2], travel.compounds.go.methods[1]] } },
    });
    const first = planHtn(slowFirst, { ...home, cash: 50 }, [goPark]);
    expect(first.steps.map((s) => s.task)).toEqual(['bus']);
    const best = planHtn(slowFirst, { ...home, cash: 50 }, [goPark], { optimize: true });
    expect(best.steps.map((s) => s.task)).toEqual(['hail', 'ride', 'pay']);
    expect(best.stats.plansFound).toBe(2);
    expect(best.stoppedBy).toBe('done');
  });

  it('stops at the expansion budget and returns the longest partial plan, saying so', () => {
    const plan = planHtn(travel, home, [{ task: 'forever' }], { maxExpansions: 50 });
    expect(plan.complete).toBe(false);
    expect(plan.stoppedBy).toBe('budget');
    expect(plan.stats.expansions).toBe(50);
    expect(plan.steps.length).toBe(25);
    expect(plan.reason).toMatch(/budget reached after 50 expansions/);
  });

  it('stops when the injected deadline says time is up', () => {
    let calls = 0;
    const plan = planHtn(travel, home, [{ task: 'forever' }], { maxExpansions: 1e9, deadline: () => ++calls >= 3 });
    expect(plan.stoppedBy).toBe('deadline');
    expect(plan.stats.expansions).toBe(3 * 256 - 1);
  });

  it('explains why no plan exists', () => {
    const plan = planHtn(travel, { ...home, cash: 1 }, [goPark]);
    expect(plan.complete).toBe(false);
    expect(plan.stoppedBy).toBe('exhausted');
    expect(plan.reason).toMatch(/cannot plan go\(to=park\)/);
  });

  it('names the unknown task and the known ones', () => {
    expect(() => planHtn(travel, home, [{ task: 'fly' }])).toThrow(/unknown task "fly".*operators: hail, ride, pay, bus/);
  });

  it('rejects a domain where a name is both an operator and a compound task', () => {
    expect(() => defineDomain<Trip>({ name: 'bad', operators: { go: { effect: (s) => s } }, compounds: { go: { methods: [] } } })).toThrow(/both an operator and a compound/);
  });
});
