import { type Judgment, type ScoreOptions, scoreAlternatives } from './score-alternatives.js';
import type { Weights } from './weights.js';

/** A target the rover could go to next. */
export interface TargetCandidate {
  readonly id: string;
  /** Travel distance from the rover (m). */
  readonly distance: number;
  /** Distance from the target to its nearest charger (m): the way home afterwards. */
  readonly toCharger: number;
  /** Science value of the sample (any consistent unit; default 1). */
  readonly reward?: number;
  /** Risk of the trip (0..1; default 0). */
  readonly risk?: number;
}

/** What a target costs the rover to reach and sample. */
export interface TargetModel {
  readonly speed: number;
  readonly energyPerMetre: number;
  readonly sampleS?: number;
  readonly sampleEnergy?: number;
  /** Battery fraction to keep on arrival at the charger afterwards. */
  readonly reserve: number;
}

/**
 * Which target next: each candidate is scored on time to reach and sample it, energy, risk
 * and reward. A target the rover could not sample and still get back to a charger with the
 * reserve left is ruled out, with the reason in `why`.
 */
export function chooseNextTarget(
  input: { battery: number; candidates: readonly TargetCandidate[]; model: TargetModel; weights: Weights },
  options: ScoreOptions = {},
): Judgment<TargetCandidate> {
  const { battery, model } = input;
  const alts = input.candidates.map((c) => {
    const energy = c.distance * model.energyPerMetre + (model.sampleEnergy ?? 0);
    const left = battery - energy - c.toCharger * model.energyPerMetre;
    const feasible = left >= model.reserve;
    return {
      id: c.id,
      objectives: { time: c.distance / model.speed + (model.sampleS ?? 0), energy, risk: c.risk ?? 0, reward: c.reward ?? 1 },
      feasible,
      note: feasible ? undefined : `would reach a charger with ${Math.round(left * 100)}% < reserve ${Math.round(model.reserve * 100)}%`,
      value: c,
    };
  });
  return scoreAlternatives(alts, input.weights, options);
}
