/** Figures a benchmark reports: numbers (and the odd label), keyed by figure name. */
export type Figures = Record<string, number | string | boolean>;

/** Passed to every benchmark: where to print progress. */
export interface BenchContext {
  log(message: string): void;
}

/**
 * One benchmark. Files `test/bench/<name>.bench.ts` export `bench`. Timings belong here,
 * never in `npm test`; compare figures as ratios taken in the same run.
 */
export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Figures>;
}

/** Median and percentiles of a sample (nearest-rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Rounds for a readable table and a stable JSON file. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
