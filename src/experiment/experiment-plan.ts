import { basename, extname, relative, resolve, dirname } from 'node:path';
import { createRandom } from '../time/random.js';
import type { Assignment } from './config-path.js';
import type { Experiment, SweepValue } from './experiment-schema.js';

/** The name of the scenario dimension in settings, tables and plots. */
export const SCENARIO = 'scenario';

/** One point of the sweep: a value per swept dimension. */
export interface Setting {
  /** Position in the sweep (results are sorted by it, then by seed). */
  index: number;
  /** Dimension → value as shown in tables (the scenario by its short name). */
  values: Record<string, SweepValue>;
  assignments: Assignment[];
  /** Absolute path of the scenario file, when scenarios are swept. */
  scenario?: string;
}

/** One run: a setting and a seed. */
export interface RunTask {
  /** Position in the sorted results: setting-major, then seed. */
  index: number;
  setting: number;
  seed: string;
}

/** What to run: the settings, the seeds and the tasks, in the order results are written. */
export interface ExperimentPlan {
  /** Absolute path of the tree config. */
  config: string;
  /** Swept dimensions in order: the param paths, then `scenario` when swept. */
  dimensions: string[];
  settings: Setting[];
  seeds: string[];
  tasks: RunTask[];
}

/**
 * Expands an experiment into settings × seeds. Grid: the cartesian product, first
 * dimension slowest. Random: `samples` settings drawn from a Random seeded by
 * `sweep.seed`, so the same file always gives the same settings. Pure: paths are
 * resolved against `dir` (the experiment file's folder) but never read.
 */
export function planExperiment(e: Experiment, dir: string, seedCount?: number): ExperimentPlan {
  const params = Object.entries(e.sweep.params);
  const scenarios = (e.sweep.scenario ?? []).map((f) => resolve(dir, f));
  const scenarioNames = shortNames(scenarios, dir);
  const dimensions = [...params.map(([p]) => p), ...(scenarios.length ? [SCENARIO] : [])];
  const combos: Array<{ values: SweepValue[]; scenario?: number }> = [];
  if (e.sweep.mode === 'grid') {
    const lists: SweepValue[][] = params.map(([, v]) => v as SweepValue[]);
    const scenarioAxis = scenarios.length ? scenarios.map((_, i) => i) : [undefined];
    for (const values of cartesian(lists)) for (const s of scenarioAxis) combos.push({ values, scenario: s });
  } else {
    const random = createRandom(`experiment-sweep/${e.sweep.seed}`);
    for (let k = 0; k < e.sweep.samples!; k++) {
      const values = params.map(([, spec]) => {
        if (Array.isArray(spec)) return random.pick(spec);
        const x = random.range(spec.min, spec.max);
        return spec.step ? Math.min(spec.max, spec.min + Math.round((x - spec.min) / spec.step) * spec.step) : Number(x.toPrecision(4));
      });
      combos.push({ values: values.map(tidy), scenario: scenarios.length ? random.int(0, scenarios.length - 1) : undefined });
    }
  }
  const settings: Setting[] = combos.map((c, index) => {
    const values: Record<string, SweepValue> = {};
    params.forEach(([p], i) => (values[p] = c.values[i]));
    if (c.scenario !== undefined) values[SCENARIO] = scenarioNames[c.scenario];
    return { index, values, assignments: params.map(([path], i) => ({ path, value: c.values[i] })), scenario: c.scenario !== undefined ? scenarios[c.scenario] : undefined };
  });
  const seeds = seedList(e.seeds, seedCount);
  const tasks: RunTask[] = [];
  for (const s of settings) for (const seed of seeds) tasks.push({ index: tasks.length, setting: s.index, seed });
  return { config: resolve(dir, e.config), dimensions, settings, seeds, tasks };
}

/** Seeds 1..n for a count, the list as text otherwise; `override` (from --seeds) replaces a count. */
export function seedList(seeds: Experiment['seeds'], override?: number): string[] {
  if (override !== undefined) return Array.from({ length: override }, (_, i) => String(i + 1));
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => String(i + 1)) : seeds.map(String);
}

function* cartesian(lists: SweepValue[][]): Generator<SweepValue[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [head, ...rest] = lists;
  for (const v of head) for (const tail of cartesian(rest)) yield [v, ...tail];
}

/** Snapped values print as 0.30000000000000004 otherwise. */
const tidy = (v: SweepValue): SweepValue => (typeof v === 'number' ? Number(v.toPrecision(12)) : v);

/** Scenario files by base name, or by path from the experiment when two share a base name. */
function shortNames(files: string[], dir: string): string[] {
  const bases = files.map((f) => basename(f, extname(f)));
  return bases.map((b, i) => (bases.indexOf(b) !== bases.lastIndexOf(b) ? relative(dir, files[i]) : b));
}

/** The folder of an experiment file (paths inside it are relative to it). */
export const experimentDir = (file: string): string => dirname(resolve(file));
