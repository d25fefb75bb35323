import { type Judgment, type ScoreOptions, scoreAlternatives } from './score-alternatives.js';
import type { Weights } from './weights.js';

/** A candidate path, e.g. from the grid planner with different inflation or via points. */
export interface PathCandidate<T = unknown> {
  readonly id: string;
  /** Terrain-weighted length (the planner's path cost, in metres of easy ground). */
  readonly cost: number;
  /** Risk along the path (e.g. share of cells near obstacles, 0..1; default 0). */
  readonly risk?: number;
  /** The path itself, handed back with the choice. */
  readonly value?: T;
}

/**
 * Which of several paths: time and energy follow from the terrain-weighted length, risk is
 * given. Paths the battery cannot cover (keeping `reserve`) are ruled out.
 */
export function choosePath<T>(
  input: {
    candidates: readonly PathCandidate<T>[];
    model: { speed: number; energyPerMetre: number };
    weights: Weights;
    battery?: number;
    reserve?: number;
  },
  options: ScoreOptions = {},
): Judgment<T> {
  const { model } = input;
  const alts = input.candidates.map((p) => {
    const energy = p.cost * model.energyPerMetre;
    const left = (input.battery ?? Infinity) - energy;
    const feasible = Number.isFinite(p.cost) && left >= (input.reserve ?? 0);
    return {
      id: p.id,
      objectives: { time: p.cost / model.speed, energy, risk: p.risk ?? 0, reward: 0 },
      feasible,
      note: feasible ? undefined : Number.isFinite(p.cost) ? `battery would drop to ${Math.round(left * 100)}%` : 'no path',
      value: p.value,
    };
  });
  return scoreAlternatives(alts, input.weights, options);
}
