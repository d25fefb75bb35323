import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Json } from '../contracts/ids.js';
import type { Logger } from '../log/logger.js';
import type { ResolvedTree } from '../config/resolve-tree.js';
import { formatDuration } from '../config/duration.js';
import { createRandom } from '../time/random.js';
import { RealClock, frozenStopwatch, wallStopwatch } from '../time/real-clock.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { TreeRun, type RunEnd } from '../tree/tree-run.js';
import { startRunDashboard } from '../dashboard/run-dashboard.js';
import { connectBroker, type BrokerFlags } from './connect.js';
import { rootReporter, type RunReporter } from './run-reporter.js';

export interface RunFlags extends BrokerFlags {
  seed?: string;
  realtime?: boolean;
  free?: boolean;
  duration?: number;
  summary?: string;
  out?: string;
  start?: boolean;
  quiet?: boolean;
  /** Serve the live dashboard; after the run it stays up until Ctrl-C. */
  dashboard?: boolean;
}

export interface RunResult {
  end: RunEnd;
  summary: Record<string, Json>;
  files: string[];
}

/**
 * `strata run`: the whole tree in this process, on the embedded broker unless
 * `--broker` is given; virtual time in lockstep unless `--realtime` or `--free`.
 */
export async function runTree(tree: ResolvedTree, flags: RunFlags, log: Logger, extra: RunReporter[] = [], print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<RunResult> {
  const realtime = flags.realtime ?? tree.config.time.mode === 'real';
  const clock = realtime ? new RealClock() : new VirtualClock();
  const seed = flags.seed ?? String(tree.config.seed);
  const conn = await connectBroker(flags, log, tree.config.broker.port);
  print(`broker ${conn.url}${conn.embedded ? ' (embedded; watch with: mosquitto_sub -h 127.0.0.1 -p ' + conn.embedded.port + " -t 'strata/#' -v)" : ''}`);
  const dash = flags.dashboard ? await startRunDashboard({ broker: conn.embedded ?? conn.url, tree: tree.config.tree, log }) : undefined;
  if (dash) print(`dashboard ${dash.url}`);
  const reporters: RunReporter[] = [rootReporter(tree.root), ...extra];
  const run = new TreeRun({
    tree,
    clock,
    random: createRandom(seed),
    log,
    link: conn.link,
    session: realtime ? Date.now() : 1,
    stopwatch: realtime ? wallStopwatch : frozenStopwatch,
    lockstep: !flags.free,
    onPublish: (t, p, now) => {
      for (const r of reporters) r.onMessage?.(t, p, now);
    },
  });
  let suggested: number | undefined;
  for (const r of reporters) {
    const s = r.attach?.(run);
    if (s && s.durationMs !== undefined) suggested = s.durationMs;
  }
  const wall = wallStopwatch();
  const onSignal = (): void => {
    print('\nstopping (signal)…');
    run.requestStop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let end: RunEnd = 'stopped';
  try {
    await run.start();
    const mode = realtime ? 'real time' : flags.free ? 'virtual time, free-running' : 'virtual time, lockstep';
    print(`tree ${tree.config.tree}: ${tree.specs.length} nodes, seed ${seed}, ${mode}`);
    if (flags.start !== false) {
      const id = await run.sendStart();
      if (id) print(`operator → ${tree.root}: ${tree.config.start!.verb} (${id})`);
    }
    let lastPrint = -Infinity;
    const progress = (now: number): void => {
      if (flags.quiet) return;
      const w = wall();
      if (w - lastPrint < (process.stdout.isTTY ? 250 : 2000)) return;
      lastPrint = w;
      const parts = reporters.map((r) => r.progress?.(now)).filter(Boolean);
      const line = `t=${formatDuration(now)} ${parts.join(' · ')}`;
      if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 120) - 1)}`);
      else print(line);
    };
    const duration = flags.duration ?? tree.config.time.duration ?? suggested;
    end = await run.run({ durationMs: duration, onStep: progress });
    if (process.stdout.isTTY && !flags.quiet) process.stdout.write('\r\x1b[2K');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const wallS = wall() / 1000;
  const simS = realtime ? wallS : clock.now() / 1000;
  const { digest, messages } = run.digest();
  const outcome = reporters.map((r) => r.outcome?.(end, run)).find((o) => o !== undefined) ?? (end === 'done' ? 'success' : describeEnd(end, run));
  const summary: Record<string, Json> = { outcome, end, tree: tree.config.tree, seed };
  for (const r of reporters) Object.assign(summary, r.summary?.(end, run));
  Object.assign(summary, {
    sim_time_s: round(simS),
    wall_time_s: round(wallS),
    speedup: round(simS / Math.max(wallS, 1e-9), 1),
    messages,
    digest,
  });
  if (run.driver) Object.assign(summary, { lockstep_steps: run.driver.stats.steps, delta_cycles: run.driver.stats.deltaCycles, stalls: run.driver.stats.stalls });
  if (dash) {
    print(`the run has ended; the dashboard stays up at ${dash.url} — press Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  await run.stop('run ended');
  // After the stop, so recordings hold the nodes' final `offline` messages too.
  const files: string[] = [];
  const outDir = resolve(flags.out ?? 'out');
  for (const r of reporters) if (r.finish) files.push(...(await r.finish(run, outDir)));
  await dash?.close();
  await conn.close();
  if (flags.summary) {
    mkdirSync(dirname(resolve(flags.summary)), { recursive: true });
    writeFileSync(flags.summary, `${JSON.stringify(summary, null, 2)}\n`);
    files.push(resolve(flags.summary));
  }
  return { end, summary, files };
}

function describeEnd(end: RunEnd, run: TreeRun): string {
  const root = run.rootOutcome();
  if (root) return `${root.state}: ${root.reason || 'no reason given'}`;
  if (end === 'time') return 'time limit reached before the mission ended';
  if (end === 'idle') return 'nothing left to do (no timers pending)';
  return 'stopped';
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/** Prints a summary as aligned `key  value` lines. */
export function formatSummary(summary: Record<string, Json>): string {
  const w = Math.max(...Object.keys(summary).map((k) => k.length));
  return Object.entries(summary)
    .map(([k, v]) => `  ${k.padEnd(w)}  ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
}
