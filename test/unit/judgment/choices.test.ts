import { describe, expect, it } from 'vitest';
import { chooseNextTarget, choosePath, defaultWeights, shouldReturnToCharge, weightsSchema } from '../../../src/judgment/index.js';

const model = { speed: 1, energyPerMetre: 0.001, sampleS: 60, sampleEnergy: 0.02, reserve: 0.1, rechargeRate: 0.002 };

describe('chooseNextTarget', () => {
  it('picks the nearer of two equal targets, and the richer one when reward weighs more', () => {
    const candidates = [
      { id: 'far-rich', distance: 300, toCharger: 100, reward: 3 },
      { id: 'near-poor', distance: 100, toCharger: 100, reward: 1 },
    ];
    expect(chooseNextTarget({ battery: 1, candidates, model, weights: weightsSchema.parse({ reward: 0.5 }) }).choice?.id).toBe('near-poor');
    expect(chooseNextTarget({ battery: 1, candidates, model, weights: weightsSchema.parse({ reward: 5 }) }).choice?.id).toBe('far-rich');
  });

  it('rules out a target the battery cannot serve and come back from', () => {
    const j = chooseNextTarget({
      battery: 0.5,
      candidates: [
        { id: 'rich-but-far', distance: 350, toCharger: 100, reward: 10 },
        { id: 'modest', distance: 100, toCharger: 100, reward: 1 },
      ],
      model,
      weights: defaultWeights,
    });
    expect(j.choice?.id).toBe('modest');
    expect(j.why).toMatch(/ruled out rich-but-far \(would reach a charger with 3% < reserve 10%\)/);
  });
});

describe('choosePath', () => {
  it('trades length against risk by the weights', () => {
    const candidates = [
      { id: 'short-narrow', cost: 100, risk: 0.6, value: 'A' },
      { id: 'long-wide', cost: 130, risk: 0.1, value: 'B' },
    ];
    const cautious = choosePath({ candidates, model, weights: weightsSchema.parse({ risk: 3 }) });
    expect(cautious.choice?.alternative.value).toBe('B');
    const hurried = choosePath({ candidates, model, weights: weightsSchema.parse({ risk: 0.5 }) });
    expect(hurried.choice?.id).toBe('short-narrow');
  });

  it('rules out a path with no route or not enough battery', () => {
    const j = choosePath({ candidates: [{ id: 'none', cost: Infinity }, { id: 'long', cost: 800 }, { id: 'ok', cost: 300 }], model, weights: defaultWeights, battery: 0.5, reserve: 0.1 });
    expect(j.choice?.id).toBe('ok');
    expect(j.ranked.filter((r) => !r.feasible).map((r) => r.id).sort()).toEqual(['long', 'none']);
  });
});

describe('shouldReturnToCharge', () => {
  const next = { durationS: 300, energy: 0.1, endToCharger: 200 };
  it('carries on with a full battery', () => {
    const d = shouldReturnToCharge({ battery: 0.9, reserve: 0.1, toCharger: 200, next, model, weights: defaultWeights });
    expect(d.returnNow).toBe(false);
    expect(d.forced).toBe(false);
    expect(d.why).toMatch(/^chose continue/);
  });

  it('is forced home when the next task would strand the rover', () => {
    const d = shouldReturnToCharge({ battery: 0.35, reserve: 0.1, toCharger: 200, next, model, weights: defaultWeights });
    expect(d).toMatchObject({ returnNow: true, forced: true });
    expect(d.why).toMatch(/return to charge now: after the task the rover could not reach a charger with the 10% reserve/);
  });

  it('on a thin margin, goes to charge when risk weighs heavily and carries on when it does not', () => {
    const input = { battery: 0.42, reserve: 0.1, toCharger: 200, next, model };
    expect(shouldReturnToCharge({ ...input, weights: weightsSchema.parse({ risk: 10 }) }).returnNow).toBe(true);
    expect(shouldReturnToCharge({ ...input, weights: weightsSchema.parse({ risk: 0.2 }) }).returnNow).toBe(false);
  });
});
