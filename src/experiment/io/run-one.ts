import { builtinKinds } from '../../../nodes/index.js';
import type { Json } from '../../contracts/ids.js';
import { loadTree } from '../../cli/cli-support.js';
import { reportersFor } from '../../cli/reporters.js';
import { runTree } from '../../cli/run-command.js';
import { createLogger } from '../../log/logger.js';
import { settingOverride, type Assignment, type KindDefaults } from '../config-path.js';

/** One run, as the experiment sends it to a worker process. */
export interface RunRequest {
  config: string;
  assignments: Assignment[];
  scenario?: string;
  seed: string;
  /** Virtual-time limit (ms). */
  durationMs?: number;
  /** Where the run's own pictures go. */
  outDir: string;
}

export interface RunReply {
  end: string;
  summary: Record<string, Json>;
}

/** A kind's params with every default filled in (its schema applied), for paths into blocks the config leaves out. */
export const builtinKindDefaults: KindDefaults = (kind, params) => {
  const k = builtinKinds.get(kind);
  if (!k) return undefined;
  const parsed = k.params.safeParse(params);
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
};

/** Runs one setting and seed in virtual time, as `strata run` would, and returns its summary. */
export async function runOne(req: RunRequest): Promise<RunReply> {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', format: 'json', write: (l) => (lines.push(l), lines.splice(0, Math.max(0, lines.length - 20))) });
  const tree = await loadTree(req.config, [settingOverride(req.assignments, req.scenario, builtinKindDefaults)]);
  const reporters = await reportersFor(tree, { seed: req.seed });
  const result = await runTree(tree, { quiet: true, seed: req.seed, port: '0', out: req.outDir, duration: req.durationMs }, log, reporters, () => undefined);
  return { end: result.end, summary: result.summary };
}

