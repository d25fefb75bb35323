import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultWeights, scoreAlternatives, weightsSchema, type Alternative } from '../../../src/judgment/index.js';

const fast: Alternative = { id: 'fast', objectives: { time: 100, energy: 0.3, risk: 0.2, reward: 1 } };
const frugal: Alternative = { id: 'frugal', objectives: { time: 300, energy: 0.1, risk: 0.2, reward: 1 } };

describe('scoreAlternatives', () => {
  it('follows the weights: time-heavy picks the fast one, energy-heavy the frugal one', () => {
    const byTime = scoreAlternatives([fast, frugal], weightsSchema.parse({ time: 3, energy: 1 }));
    expect(byTime.choice?.id).toBe('fast');
    const byEnergy = scoreAlternatives([fast, frugal], weightsSchema.parse({ time: 1, energy: 3 }));
    expect(byEnergy.choice?.id).toBe('frugal');
    expect(byEnergy.why).toBe('chose frugal (score -1.00) over fast (-3.00): uses less energy (+3.00), despite slower (-1.00)');
    expect(byEnergy.scores).toEqual({ frugal: -1, fast: -3 });
  });

  it('counts reward for and risk against', () => {
    const safe = { id: 'safe', objectives: { reward: 1, risk: 0.1 } };
    const bold = { id: 'bold', objectives: { reward: 3, risk: 0.9 } };
    expect(scoreAlternatives([safe, bold], weightsSchema.parse({ reward: 1, risk: 2 })).choice?.id).toBe('safe');
    expect(scoreAlternatives([safe, bold], weightsSchema.parse({ reward: 2, risk: 1 })).choice?.id).toBe('bold');
  });

  it('never chooses an infeasible alternative, and says why none was chosen', () => {
    const j = scoreAlternatives([{ ...fast, feasible: false, note: 'battery' }, frugal], defaultWeights);
    expect(j.choice?.id).toBe('frugal');
    expect(j.why).toMatch(/only feasible alternative; ruled out fast \(battery\)/);
    const none = scoreAlternatives([{ ...fast, feasible: false, note: 'battery' }], defaultWeights);
    expect(none.choice).toBeUndefined();
    expect(none.why).toBe('no feasible alternative: fast (battery)');
  });

  it('keeps the input order on ties', () => {
    const j = scoreAlternatives([{ id: 'a', objectives: {} }, { id: 'b', objectives: {} }], defaultWeights);
    expect(j.choice?.id).toBe('a');
    expect(j.why).toMatch(/tie/);
  });

  it('with scale normalisation, keeps absolute meaning', () => {
    const j = scoreAlternatives([fast, frugal], defaultWeights, { normalise: 'scale', scales: { time: 100, energy: 0.1, risk: 1, reward: 1 } });
    expect(j.ranked.find((r) => r.id === 'fast')?.score).toBeCloseTo(-1 - 3 - 0.2 + 1, 9);
  });

  it('rejects bad weights with a message naming the objective', () => {
    const r = weightsSchema.safeParse({ time: -1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/time weight must be >= 0/);
    expect(weightsSchema.safeParse({ speed: 1 }).success).toBe(false);
  });

  it('a dominated alternative is never chosen (property)', () => {
    const obj = fc.record({ time: fc.double({ min: 0, max: 1000, noNaN: true }), energy: fc.double({ min: 0, max: 1, noNaN: true }), risk: fc.double({ min: 0, max: 1, noNaN: true }), reward: fc.double({ min: 0, max: 10, noNaN: true }) });
    const w = fc.record({ time: fc.double({ min: 0.01, max: 5, noNaN: true }), energy: fc.double({ min: 0.01, max: 5, noNaN: true }), risk: fc.double({ min: 0.01, max: 5, noNaN: true }), reward: fc.double({ min: 0.01, max: 5, noNaN: true }) });
    fc.assert(
      fc.property(obj, w, fc.double({ min: 0.01, max: 100, noNaN: true }), (o, weights, gap) => {
        const worse = { time: o.time + gap, energy: o.energy, risk: o.risk, reward: o.reward };
        const j = scoreAlternatives([{ id: 'worse', objectives: worse }, { id: 'better', objectives: o }], weights);
        expect(j.choice?.id).toBe('better');
      }),
      { seed: 7 },
    );
  });
});
