import { z } from 'zod';

/** The objectives value judgment weighs. Time, energy and risk are costs; reward is a benefit. */
export const objectives = ['time', 'energy', 'risk', 'reward'] as const;
export type Objective = (typeof objectives)[number];

const weight = (what: string) =>
  z
    .number({ error: `${what} weight must be a number >= 0 (0 ignores ${what})` })
    .min(0, `${what} weight must be >= 0 (0 ignores ${what}); to prefer more ${what}, weigh reward instead`)
    .default(1);

/**
 * Weights of the objectives, from a node's config (`params.weights`). Only their ratios
 * matter. Missing weights default to 1.
 */
export const weightsSchema = z
  .object({
    time: weight('time'),
    energy: weight('energy'),
    risk: weight('risk'),
    reward: weight('reward'),
  })
  .strict();

export type Weights = z.output<typeof weightsSchema>;
export type WeightsInput = z.input<typeof weightsSchema>;

/**
 * Typical magnitude of each objective (e.g. time 600 s, energy 0.2), for `normalise: 'scale'`:
 * a raw value divided by its scale. Use it when two alternatives may differ by a trifle that
 * min-max normalisation would blow up to the full range.
 */
export const scalesSchema = z
  .object({
    time: z.number().positive().default(1),
    energy: z.number().positive().default(1),
    risk: z.number().positive().default(1),
    reward: z.number().positive().default(1),
  })
  .strict();

export type Scales = z.output<typeof scalesSchema>;

/** Default weights: every objective counts the same. */
export const defaultWeights: Weights = weightsSchema.parse({});
