import type { Json } from '../contracts/ids.js';
import type { ExperimentPlan } from './experiment-plan.js';
import type { SweepValue } from './experiment-schema.js';
import { describe, wilson95, type Stats } from './stats.js';

/** What one run gave: its summary, or the error that stopped it. */
export interface RunRecord {
  task: number;
  setting: number;
  seed: string;
  ok: boolean;
  error?: string;
  summary?: Record<string, Json>;
  /** Wall time of the run in its worker (s); the only figure that differs between repeats. */
  wall_s: number;
}

/** Per-setting figures: every metric's stats, the success rate when runs report an outcome. */
export interface SettingSummary {
  setting: number;
  values: Record<string, SweepValue>;
  runs: number;
  failed: number;
  success?: { rate: number; successes: number; n: number; ci95: [number, number] };
  metrics: Record<string, Stats>;
}

/** The metric that means "the run's outcome was success" (0/1 per run, a rate over runs). */
export const SUCCESS = 'success';

/** Summary keys that depend on the wall clock or are bookkeeping, left out of default metrics. */
const NOT_METRICS = new Set(['wall_time_s', 'speedup', 'messages', 'lockstep_steps', 'delta_cycles', 'stalls', 'seed', 'root_progress']);

/** Default metrics: success (when runs report an outcome) and every numeric summary key, in the summary's order. */
export function defaultMetrics(records: readonly RunRecord[]): string[] {
  const first = records.find((r) => r.ok && r.summary)?.summary;
  if (!first) return [SUCCESS];
  const out = typeof first.outcome === 'string' ? [SUCCESS] : [];
  for (const [k, v] of Object.entries(first)) if (typeof v === 'number' && !NOT_METRICS.has(k)) out.push(k);
  return out;
}

/** A metric of one run as a number (success: 1 or 0; booleans 1/0), or undefined when the summary lacks it. */
export function metricValue(summary: Record<string, Json>, metric: string): number | undefined {
  if (metric === SUCCESS || metric === 'outcome') return typeof summary.outcome === 'string' ? (summary.outcome === SUCCESS ? 1 : 0) : undefined;
  const v = summary[metric];
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Sorts records setting-major then by the plan's seed order, whatever order the workers finished in. */
export function sortRecords(records: readonly RunRecord[]): RunRecord[] {
  return [...records].sort((a, b) => a.task - b.task);
}

/** Stats per setting over its runs that finished (failed runs are counted, not averaged). */
export function summarise(plan: ExperimentPlan, records: readonly RunRecord[], metrics: readonly string[]): SettingSummary[] {
  return plan.settings.map((s) => {
    const mine = records.filter((r) => r.setting === s.index);
    const ok = mine.filter((r) => r.ok && r.summary);
    const out: SettingSummary = { setting: s.index, values: s.values, runs: mine.length, failed: mine.length - ok.length, metrics: {} };
    const outcomes = ok.filter((r) => typeof r.summary!.outcome === 'string');
    if (outcomes.length > 0) {
      const successes = outcomes.filter((r) => r.summary!.outcome === SUCCESS).length;
      out.success = { rate: successes / outcomes.length, successes, n: outcomes.length, ci95: wilson95(successes, outcomes.length) };
    }
    for (const m of metrics) {
      const xs = ok.map((r) => metricValue(r.summary!, m)).filter((x): x is number => x !== undefined);
      const stats = describe(xs);
      // A yes/no metric is a proportion: its interval is Wilson's, which stays inside [0, 1].
      const yesNo = ok.length > 0 && ok.every((r) => typeof r.summary![m] === 'boolean');
      out.metrics[m] = yesNo ? { ...stats, ci95: wilson95(xs.filter((x) => x === 1).length, xs.length) } : stats;
    }
    return out;
  });
}

const WALL = 'wall_time_s';

/** Column names of the runs CSV: dimensions, seed, status, metrics, outcome, digest, wall time, error. */
export function csvColumns(plan: ExperimentPlan, metrics: readonly string[]): string[] {
  return [...plan.dimensions, 'seed', 'status', ...metrics, 'outcome', 'digest', WALL, 'error'];
}

/** One row per run, in the order given (sort first); the wall time column is the only one that varies between repeats. */
export function toCsv(plan: ExperimentPlan, records: readonly RunRecord[], metrics: readonly string[]): string {
  const cols = csvColumns(plan, metrics);
  const lines = [cols.map(csvCell).join(',')];
  for (const r of records) {
    const s = plan.settings[r.setting];
    const row: Array<string | number | boolean | undefined> = [
      ...plan.dimensions.map((d) => s.values[d]),
      r.seed,
      r.ok ? 'ok' : 'error',
      ...metrics.map((m) => (r.summary ? metricValue(r.summary, m) : undefined)),
      typeof r.summary?.outcome === 'string' ? r.summary.outcome : undefined,
      typeof r.summary?.digest === 'string' ? r.summary.digest : undefined,
      Math.round(r.wall_s * 1000) / 1000,
      r.error,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180: quote a cell holding a comma, quote or line break; double the quotes. */
export function csvCell(v: string | number | boolean | undefined): string {
  if (v === undefined) return '';
  const s = typeof v === 'number' && !Number.isFinite(v) ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Runs as JSON rows: setting values, seed, metrics, outcome, digest, wall time, error, and the full summary. */
export function toJsonRows(plan: ExperimentPlan, records: readonly RunRecord[], metrics: readonly string[]): Json[] {
  return records.map((r) => {
    const metricsOut: Record<string, Json> = {};
    for (const m of metrics) metricsOut[m] = r.summary ? (metricValue(r.summary, m) ?? null) : null;
    return {
      setting: plan.settings[r.setting].values,
      seed: r.seed,
      status: r.ok ? 'ok' : 'error',
      metrics: metricsOut,
      outcome: typeof r.summary?.outcome === 'string' ? r.summary.outcome : null,
      digest: typeof r.summary?.digest === 'string' ? r.summary.digest : null,
      [WALL]: Math.round(r.wall_s * 1000) / 1000,
      ...(r.error !== undefined ? { error: r.error } : {}),
      summary: r.summary ?? null,
    } as Json;
  });
}
