import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../config/duration.js';

/** A swept value as written in the file: a number, a string (e.g. a duration `5s`) or a boolean. */
const valueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type SweepValue = z.infer<typeof valueSchema>;

/** A range for random sweeps: uniform in [min, max], snapped to `step` when given. */
const rangeSchema = z
  .object({ min: z.number(), max: z.number(), step: z.number().positive().optional() })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

const durationText = z.union([z.number(), z.string()]).refine((v) => parseDuration(v) !== undefined, { message: 'not a duration; e.g. 900s or 15min' });

/** The experiment file (`configs/experiments/<name>.yaml`). */
export const experimentSchema = z
  .object({
    name: z.string().optional(),
    /** The question the experiment asks, for people reading the results. */
    question: z.string().optional(),
    description: z.string().optional(),
    /** Tree config, relative to the experiment file. */
    config: z.string().min(1, 'name the tree config, e.g. ../rover-mission.yaml'),
    /** A count (seeds 1..n) or the list of seeds. */
    seeds: z.union([z.number().int().positive(), z.array(z.union([z.number().int(), z.string().min(1)])).min(1)]).default(3),
    sweep: z
      .object({
        mode: z.enum(['grid', 'random']).default('grid'),
        /** Random mode: how many settings to draw. */
        samples: z.number().int().positive().optional(),
        /** Random mode: seed of the draw, so the same file gives the same settings. */
        seed: z.union([z.number(), z.string()]).default(1),
        /** Config path (`nodes.<id>.<...>`) → values (grid: a list; random: a list or {min, max, step?}). */
        params: z.record(z.string().min(1), z.union([z.array(valueSchema).min(1, 'list at least one value'), rangeSchema])).default({}),
        /** Scenario files (relative to the experiment file), swept as one more dimension. */
        scenario: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .default({ mode: 'grid', seed: 1, params: {} }),
    /** Summary keys to report; `success` (or `outcome`) is the share of runs whose outcome is `success`. Default: success and every numeric key. */
    metrics: z.array(z.string().min(1)).min(1).optional(),
    /** Virtual-time limit of each run (default: the config's, or the scenario's). */
    time_limit: durationText.optional(),
    /** Wall-clock limit of each run: a run still going is stopped and recorded as failed. */
    wall_limit: durationText.default('20min'),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.sweep.mode === 'grid') {
      for (const [k, v] of Object.entries(e.sweep.params)) {
        if (!Array.isArray(v)) ctx.addIssue({ code: 'custom', path: ['sweep', 'params', k], message: 'a grid sweep takes a list of values; {min, max} is for mode: random' });
      }
    } else if (e.sweep.samples === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sweep', 'samples'], message: 'a random sweep needs samples: <how many settings to draw>' });
    }
    if (Object.keys(e.sweep.params).length === 0 && !e.sweep.scenario) {
      ctx.addIssue({ code: 'custom', path: ['sweep'], message: 'sweep nothing? give sweep.params (config path → values) or sweep.scenario' });
    }
  });

export type Experiment = z.output<typeof experimentSchema>;

/** An experiment file that does not fit the schema: every problem with its path. */
export class ExperimentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Array<{ path: string; message: string }>,
  ) {
    super(`${file}: invalid experiment\n${problems.map((p) => `  ${p.path || '(top)'}: ${p.message}`).join('\n')}`);
  }
}

/** Parses and validates an experiment file's text; throws {@link ExperimentError} naming each bad path. */
export function parseExperiment(text: string, file: string): Experiment {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ExperimentError(file, [{ path: '', message: `YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
  const parsed = experimentSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ExperimentError(
      file,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
