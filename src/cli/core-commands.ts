import type { Command } from 'commander';
import { builtinKinds } from '../../nodes/index.js';
import { parseDuration } from '../config/duration.js';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { ConfigOverride } from '../config/load-config.js';
import { EXIT, action, loadTree, loggerFor, withBrokerOptions } from './cli-support.js';
import { runOneNode } from './node-command.js';
import { reportersFor } from './reporters.js';
import { recordingReporter } from '../tools/recording/recording-reporter.js';
import { formatSummary, runTree } from './run-command.js';

/** run, node, validate, kinds. */
export function registerCoreCommands(program: Command): void {
  withBrokerOptions(
    program
      .command('run')
      .description('run a whole tree in this process (virtual time in lockstep by default: reproducible, faster than real time)')
      .argument('<config>', 'tree config (YAML)')
      .option('--seed <n>', 'random seed (sensor noise, unknown obstacles); default: the config')
      .option('--scenario <file>', 'use this scenario file for every node that names one (params.scenario)')
      .option('--realtime', 'run on the wall clock')
      .option('--free', 'virtual time without lockstep: faster, not reproducible')
      .option('--duration <d>', 'stop after this much time (e.g. 90s, 10min)')
      .option('--summary <file.json>', 'also write the summary as JSON')
      .option('--out <dir>', 'where pictures and reports go', 'out')
      .option('--no-start', "do not send the config's start command to the root")
      .option('--quiet', 'no progress line')
      .option('--record <file.mcap>', "record every message into an MCAP file, stamped with the run's own (virtual) time")
      .option('--dashboard', 'serve the live dashboard on localhost and print its URL (stays up after the run until Ctrl-C)'),
  ).action(
    action(async (file: string, opts, cmd: Command) => {
      const log = loggerFor(cmd);
      const tree = await loadTree(file, opts.scenario ? [scenarioOverride(opts.scenario)] : []);
      const duration = opts.duration !== undefined ? parseDuration(opts.duration) : undefined;
      if (opts.duration !== undefined && duration === undefined) throw new Error(`--duration "${opts.duration}" is not a duration; e.g. 90s or 10min`);
      const extra = await reportersFor(tree, opts);
      if (opts.record) extra.push(recordingReporter(opts.record, { tree: tree.config.tree, seed: String(opts.seed ?? tree.config.seed) }));
      const result = await runTree(tree, { ...opts, duration }, log, extra);
      process.stdout.write(`\nsummary\n${formatSummary(result.summary)}\n`);
      for (const f of result.files) process.stdout.write(`wrote ${f}\n`);
      process.exit(result.end === 'done' || result.end === 'time' || result.end === 'stopped' ? EXIT.ok : EXIT.failed);
    }),
  );

  withBrokerOptions(
    program
      .command('node')
      .description('run one node of a tree in its own process (real time), so a tree spreads over processes and machines')
      .argument('<config>', 'tree config (YAML)')
      .requiredOption('--id <node>', 'which node to run')
      .option('--seed <n>', 'random seed'),
  ).action(
    action(async (file: string, opts, cmd: Command) => {
      const log = loggerFor(cmd);
      await runOneNode(await loadTree(file), opts, log);
      process.exit(EXIT.ok);
    }),
  );

  program
    .command('validate')
    .description('check a config without running it: schema, tree rules, kind parameters (exit 2 listing every problem)')
    .argument('<config>', 'tree config (YAML)')
    .action(
      action(async (file: string) => {
        const tree = await loadTree(file);
        process.stdout.write(`${file}: valid tree "${tree.config.tree}" with ${tree.specs.length} nodes\n`);
        const depth = (id: string): number => {
          const s = tree.specs.find((x) => x.id === id);
          return s?.parent ? depth(s.parent) + 1 : 0;
        };
        for (const s of tree.specs) process.stdout.write(`  ${'  '.repeat(depth(s.id))}${s.id} (${s.kind}, level ${s.level}, period ${s.periodMs}ms)\n`);
        process.exit(EXIT.ok);
      }),
    );

  program
    .command('kinds')
    .description('list the node kinds that ship with strata, with their verbs')
    .action(() => {
      for (const k of builtinKinds.values()) {
        process.stdout.write(`${k.kind.padEnd(12)} ${k.description}\n${' '.repeat(13)}verbs: ${[...Object.keys(k.verbs), 'abort'].join(', ')}\n`);
      }
    });
}

/** Points every node's `params.scenario` at `file` (a path from the current folder). */
export function scenarioOverride(file: string): ConfigOverride {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new Error(`--scenario ${file}: no such file; scenarios live in configs/scenarios/`);
  return (raw) => {
    for (const n of (raw.nodes as Array<{ params?: Record<string, unknown> }> | undefined) ?? []) {
      if (n.params && typeof n.params.scenario === 'string') n.params.scenario = abs;
    }
  };
}
