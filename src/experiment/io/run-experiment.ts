import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTree } from '../../cli/cli-support.js';
import { ConfigError } from '../../config/config-problem.js';
import { parseDuration } from '../../config/duration.js';
import type { Json } from '../../contracts/ids.js';
import { settingOverride } from '../config-path.js';
import { ExperimentError, parseExperiment, type Experiment } from '../experiment-schema.js';
import { experimentDir, planExperiment, type ExperimentPlan } from '../experiment-plan.js';
import { defaultMetrics, metricValue, sortRecords, summarise, toCsv, toJsonRows, type RunRecord, type SettingSummary } from '../experiment-results.js';
import { formatProgress } from '../progress-line.js';
import { formatSummaryTable } from '../summary-table.js';
import { experimentPlots } from '../svg-plot.js';
import { builtinKindDefaults, type RunReply, type RunRequest } from './run-one.js';
import { runPool } from './worker-pool.js';

export interface ExperimentOptions {
  /** Worker processes (default: the cores; never more than the cores). */
  workers?: number;
  /** Output folder (default: out/experiments/<name>). */
  out?: string;
  /** Seeds 1..n instead of the file's seeds. */
  seeds?: number;
  /** Progress output (default: stderr). */
  progress?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Informational lines (default: stderr). */
  note?: (line: string) => void;
}

export interface ExperimentResult {
  experiment: Experiment;
  plan: ExperimentPlan;
  records: RunRecord[];
  summaries: SettingSummary[];
  metrics: string[];
  table: string;
  files: string[];
  workers: number;
}

/** The worker entry next to this module, with this module's extension (.ts under tsx, .js from dist). */
const workerEntry = (): string => {
  const here = fileURLToPath(import.meta.url);
  return join(here, '..', `experiment-worker${extname(here)}`);
};

/**
 * `strata experiment`: checks every setting's config, runs settings × seeds in worker
 * processes with a progress bar, then writes runs.csv, runs.json, summary.json,
 * summary.txt and SVG plots, and returns the summary table.
 */
export async function runExperiment(file: string, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExperimentError(file, [{ path: '', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); experiments live in configs/experiments/` }]);
  }
  const experiment = parseExperiment(text, file);
  const plan = planExperiment(experiment, experimentDir(file), opts.seeds);
  const name = experiment.name ?? basename(file, extname(file));
  const out = resolve(opts.out ?? join('out', 'experiments', name));
  const note = opts.note ?? ((l: string) => process.stderr.write(`${l}\n`));

  // Every setting must give a valid tree before any run starts: a typo in a path is one clear error, not N failed runs.
  for (const s of plan.settings) {
    try {
      await loadTree(plan.config, [settingOverride(s.assignments, s.scenario, builtinKindDefaults)]);
    } catch (err) {
      const what = Object.entries(s.values).map(([k, v]) => `${k}=${v}`).join(', ');
      const detail = err instanceof ConfigError ? err.report() : (err as Error).message;
      throw new ExperimentError(file, [{ path: 'sweep', message: `setting ${s.index + 1} (${what}) does not give a valid tree:\n${detail}` }]);
    }
  }

  const cores = availableParallelism();
  let workers = opts.workers ?? cores;
  if (workers > cores) {
    note(`--workers ${workers}: this machine has ${cores} cores; using ${cores}`);
    workers = cores;
  }
  workers = Math.max(1, Math.min(workers, plan.tasks.length));
  const durationMs = experiment.time_limit !== undefined ? parseDuration(experiment.time_limit) : undefined;
  const wallLimitMs = parseDuration(experiment.wall_limit);
  note(`experiment ${name}: ${plan.settings.length} settings × ${plan.seeds.length} seeds = ${plan.tasks.length} runs on ${workers} worker${workers > 1 ? 's' : ''}`);

  const requests: RunRequest[] = plan.tasks.map((t) => {
    const s = plan.settings[t.setting];
    return { config: plan.config, assignments: s.assignments, scenario: s.scenario, seed: t.seed, durationMs, outDir: join(out, 'runs', `setting-${s.index + 1}`) };
  });
  const bar = progressBar(opts.progress ?? process.stderr, plan.tasks.length);
  const outcomes = await runPool<RunRequest, RunReply>({
    entry: workerEntry(),
    tasks: requests,
    workers,
    wallLimitMs,
    onStart: () => bar.started(),
    onDone: (_i, o) => bar.finished(o.ok),
  });
  bar.close();

  const records = sortRecords(
    outcomes.map((o, i): RunRecord => {
      const t = plan.tasks[i];
      // The run's own wall time when it reports one: the pool's also counts a new worker's start-up.
      if (o.ok) return { task: i, setting: t.setting, seed: t.seed, ok: true, summary: o.result.summary, wall_s: typeof o.result.summary.wall_time_s === 'number' ? o.result.summary.wall_time_s : o.wallMs / 1000 };
      return { task: i, setting: t.setting, seed: t.seed, ok: false, error: o.error, wall_s: o.wallMs / 1000 };
    }),
  );
  const metrics = experiment.metrics ?? defaultMetrics(records);
  const finished = records.filter((r) => r.ok && r.summary);
  for (const m of metrics) {
    if (finished.length > 0 && finished.every((r) => metricValue(r.summary!, m) === undefined)) {
      note(`metrics: "${m}" is not a number in any run's summary; its keys: ${Object.keys(finished[0].summary!).join(', ')}`);
    }
  }
  const summaries = summarise(plan, records, metrics);
  const table = formatSummaryTable(plan.dimensions, summaries, metrics);
  const files = writeOutputs(out, { name, experiment, plan, records, summaries, metrics, table });
  return { experiment, plan, records, summaries, metrics, table, files, workers };
}

function writeOutputs(out: string, r: { name: string; experiment: Experiment; plan: ExperimentPlan; records: RunRecord[]; summaries: SettingSummary[]; metrics: string[]; table: string }): string[] {
  mkdirSync(join(out, 'plots'), { recursive: true });
  const files: string[] = [];
  const write = (path: string, text: string): void => {
    writeFileSync(path, text);
    files.push(path);
  };
  write(join(out, 'runs.csv'), toCsv(r.plan, r.records, r.metrics));
  write(join(out, 'runs.json'), `${JSON.stringify({ experiment: r.name, config: r.plan.config, dimensions: r.plan.dimensions, seeds: r.plan.seeds, metrics: r.metrics, runs: toJsonRows(r.plan, r.records, r.metrics) }, null, 2)}\n`);
  const summary: Json = {
    experiment: r.name,
    question: r.experiment.question ?? null,
    config: r.plan.config,
    dimensions: r.plan.dimensions,
    seeds: r.plan.seeds,
    metrics: r.metrics,
    runs: r.records.length,
    failed: r.records.filter((x) => !x.ok).length,
    settings: r.summaries as unknown as Json,
  };
  write(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  write(join(out, 'summary.txt'), `${r.experiment.question ? `${r.experiment.question.trim()}\n\n` : ''}${r.table}`);
  for (const [name, svg] of experimentPlots(r.plan.dimensions, r.summaries, r.metrics)) write(join(out, 'plots', name), svg);
  return files;
}

/** The progress bar: one updating line on a terminal, a line every few seconds otherwise. */
function progressBar(stream: { write(s: string): unknown; isTTY?: boolean }, total: number): { started(): void; finished(ok: boolean): void; close(): void } {
  const t0 = Date.now();
  let done = 0;
  let failed = 0;
  let running = 0;
  const tty = stream.isTTY === true;
  let lastLine = 0;
  const draw = (force = false): void => {
    const line = formatProgress({ done, failed, total, running, elapsedMs: Date.now() - t0 });
    if (tty) stream.write(`\r\x1b[2K${line}`);
    else if (force || Date.now() - lastLine >= 5000) {
      stream.write(`${line}\n`);
      lastLine = Date.now();
    }
  };
  const ticker = setInterval(() => draw(), tty ? 1000 : 5000);
  ticker.unref();
  return {
    started() {
      running++;
      if (tty) draw();
    },
    finished(ok) {
      running--;
      done++;
      if (!ok) failed++;
      draw(done === total);
    },
    close() {
      clearInterval(ticker);
      if (tty) stream.write('\n');
    },
  };
}
