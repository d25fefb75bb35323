import { type Judgment, scoreAlternatives } from './score-alternatives.js';
import { type Scales, type Weights, scalesSchema } from './weights.js';

export interface ChargeDecisionInput {
  /** Battery fraction now. */
  readonly battery: number;
  /** Battery fraction to keep on arrival at a charger. */
  readonly reserve: number;
  /** Distance from here to the nearest charger (m). */
  readonly toCharger: number;
  /** The task the rover would do next if it does not charge first. */
  readonly next: {
    readonly durationS: number;
    readonly energy: number;
    /** Distance from where the task ends to the nearest charger (m). */
    readonly endToCharger: number;
    readonly reward?: number;
  };
  readonly model: { readonly speed: number; readonly energyPerMetre: number; readonly rechargeRate: number };
  readonly weights: Weights;
  /**
   * Battery margin above the reserve (fraction) below which risk rises from 0 to 1
   * (default 0.15): thin margins are risky because energy estimates are rough.
   */
  readonly riskMargin?: number;
  /** Typical magnitudes for scoring (default time 600 s, energy 0.2, risk 0.25, reward 1). */
  readonly scales?: Partial<Scales>;
}

export interface ChargeDecision {
  readonly returnNow: boolean;
  /** True when continuing is not feasible at all, so no weighing was needed. */
  readonly forced: boolean;
  readonly judgment: Judgment<'continue' | 'charge'>;
  readonly why: string;
}

/**
 * Return to charge now, or do the next task first? Continuing is ruled out when the rover
 * could not finish the task and still reach a charger with the reserve. Otherwise both
 * options are weighed: charging first costs a detour and charging time, continuing with a
 * thin margin costs risk. Scores use fixed scales, not min-max, because with two options
 * min-max would make any difference look as large as the whole range.
 */
export function shouldReturnToCharge(input: ChargeDecisionInput): ChargeDecision {
  const { battery, reserve, next, model } = input;
  const e = (m: number): number => m * model.energyPerMetre;
  const riskMargin = input.riskMargin ?? 0.15;
  const risk = (margin: number): number => (margin <= 0 ? 1 : Math.max(0, 1 - margin / riskMargin));
  const scales = scalesSchema.parse({ time: 600, energy: 0.2, risk: 0.25, reward: 1, ...input.scales });

  const continueMargin = battery - next.energy - e(next.endToCharger) - reserve;
  const atCharger = battery - e(input.toCharger);
  const chargeTime = input.toCharger / model.speed + Math.max(0, 1 - atCharger) / model.rechargeRate + input.toCharger / model.speed;
  const chargeMargin = 1 - next.energy - e(next.endToCharger) - reserve;
  const judgment = scoreAlternatives<'continue' | 'charge'>(
    [
      {
        id: 'continue',
        objectives: { time: next.durationS, energy: next.energy, risk: risk(continueMargin), reward: next.reward ?? 1 },
        feasible: continueMargin >= 0,
        note: continueMargin >= 0 ? undefined : `after the task the rover could not reach a charger with the ${Math.round(reserve * 100)}% reserve`,
        value: 'continue',
      },
      {
        id: 'charge',
        objectives: { time: chargeTime + next.durationS, energy: 2 * e(input.toCharger) + next.energy, risk: risk(chargeMargin), reward: next.reward ?? 1 },
        feasible: atCharger >= 0,
        note: atCharger >= 0 ? undefined : 'the nearest charger is out of reach',
        value: 'charge',
      },
    ],
    input.weights,
    { normalise: 'scale', scales },
  );
  const forced = continueMargin < 0;
  const returnNow = judgment.choice?.id === 'charge' || (forced && judgment.choice === undefined);
  const why = forced ? `return to charge now: ${judgment.ranked.find((r) => r.id === 'continue')?.alternative.note ?? ''}` : judgment.why;
  return { returnNow, forced, judgment, why };
}
