#!/usr/bin/env node
import { Command, Option } from 'commander';
import { builtinKinds } from '../../nodes/index.js';
import { ConfigError } from '../config/config-problem.js';
import { loadConfig } from '../config/load-config.js';
import { parseDuration } from '../config/duration.js';
import { createLogger, logLevels, type LogLevel, type Logger } from '../log/logger.js';
import { runOneNode } from './node-command.js';
import { formatSummary, runTree } from './run-command.js';
import { reportersFor } from './reporters.js';

/** Exit codes: 0 ok, 1 the run failed, 2 bad usage or config. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function logger(cmd: Command): Logger {
  const o = cmd.optsWithGlobals() as { logLevel: LogLevel; logFormat?: 'json' | 'pretty' };
  return createLogger({ level: o.logLevel, format: o.logFormat });
}

function brokerOptions(c: Command): Command {
  return c
    .option('--broker <url>', 'join this MQTT broker (mqtt://host:port, mqtts://...) instead of starting the embedded one')
    .option('--username <name>', 'broker user name')
    .option('--password <secret>', 'broker password (or set STRATA_PASSWORD)')
    .option('--ca <file>', 'TLS: CA certificate (PEM) to trust')
    .option('--cert <file>', 'TLS: client certificate (PEM)')
    .option('--key <file>', 'TLS: client key (PEM)')
    .option('--insecure', 'TLS: do not check the broker certificate')
    .option('--port <n>', 'embedded broker: port on 127.0.0.1 (default: the config, else 1883; a free one if taken)')
    .addOption(new Option('--transport <kind>', 'embedded broker: how in-process nodes connect').choices(['memory', 'tcp']).default('memory'));
}

async function load(file: string, log: Logger) {
  void log;
  return loadConfig(file, builtinKinds);
}

function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.report()}\n`);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`strata: ${(err as Error).message}\n`);
  process.exit(EXIT.failed);
}

export function buildCli(): Command {
  const program = new Command('strata')
    .description('Hierarchical robot control after the Reference Model Architecture (NIST RCS): a tree of nodes over MQTT.')
    .version('0.1.0')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels as unknown as string[]).default('info'))
    .addOption(new Option('--log-format <format>', 'log format (default: pretty on a terminal, JSON otherwise)').choices(['json', 'pretty']))
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Examples:
  strata run configs/demo.yaml                       whole tree, embedded broker, virtual time
  strata run configs/demo.yaml --realtime            the same on the wall clock
  strata node configs/demo.yaml --id arm --broker mqtt://127.0.0.1:1883
  strata validate configs/demo.yaml                  check a config (exit 2 if invalid)
  strata kinds                                       node kinds and their parameters`);

  brokerOptions(
    program
      .command('run')
      .description('run a whole tree in this process (virtual time in lockstep by default: reproducible, faster than real time)')
      .argument('<config>', 'tree config (YAML)')
      .option('--seed <n>', 'random seed (sensor noise, unknown obstacles); default: the config')
      .option('--realtime', 'run on the wall clock')
      .option('--free', 'virtual time without lockstep: faster, not reproducible')
      .option('--duration <d>', 'stop after this much time (e.g. 90s, 10min)')
      .option('--summary <file.json>', 'also write the summary as JSON')
      .option('--out <dir>', 'where pictures and reports go', 'out')
      .option('--no-start', 'do not send the config\'s start command to the root')
      .option('--quiet', 'no progress line'),
  ).action(async (file: string, opts, cmd: Command) => {
    const log = logger(cmd);
    try {
      const tree = await load(file, log);
      const duration = opts.duration !== undefined ? parseDuration(opts.duration) : undefined;
      if (opts.duration !== undefined && duration === undefined) throw new Error(`--duration "${opts.duration}" is not a duration; e.g. 90s or 10min`);
      const result = await runTree(tree, { ...opts, duration }, log, await reportersFor(tree, opts));
      process.stdout.write(`\nsummary\n${formatSummary(result.summary)}\n`);
      for (const f of result.files) process.stdout.write(`wrote ${f}\n`);
      process.exit(result.end === 'done' || result.end === 'time' || result.end === 'stopped' ? EXIT.ok : EXIT.failed);
    } catch (err) {
      fail(err);
    }
  });

  brokerOptions(
    program
      .command('node')
      .description('run one node of a tree in its own process (real time), so a tree spreads over processes and machines')
      .argument('<config>', 'tree config (YAML)')
      .requiredOption('--id <node>', 'which node to run')
      .option('--seed <n>', 'random seed'),
  ).action(async (file: string, opts, cmd: Command) => {
    const log = logger(cmd);
    try {
      const tree = await load(file, log);
      await runOneNode(tree, opts, log);
      process.exit(EXIT.ok);
    } catch (err) {
      fail(err);
    }
  });

  program
    .command('validate')
    .description('check a config without running it: schema, tree rules, kind parameters (exit 2 listing every problem)')
    .argument('<config>', 'tree config (YAML)')
    .action(async (file: string, _opts, cmd: Command) => {
      const log = logger(cmd);
      try {
        const tree = await load(file, log);
        process.stdout.write(`${file}: valid tree "${tree.config.tree}" with ${tree.specs.length} nodes\n`);
        for (const s of tree.specs) {
          process.stdout.write(`  ${'  '.repeat(depth(tree.specs, s.id))}${s.id} (${s.kind}, level ${s.level}, period ${s.periodMs}ms)\n`);
        }
        process.exit(EXIT.ok);
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('kinds')
    .description('list the node kinds that ship with strata, with their verbs')
    .action(() => {
      for (const k of builtinKinds.values()) {
        process.stdout.write(`${k.kind.padEnd(12)} ${k.description}\n${' '.repeat(13)}verbs: ${[...Object.keys(k.verbs), 'abort'].join(', ')}\n`);
      }
    });
  return program;
}

function depth(specs: Array<{ id: string; parent: string | null }>, id: string): number {
  let d = 0;
  let cur = specs.find((s) => s.id === id);
  while (cur?.parent) {
    d++;
    const p = cur.parent;
    cur = specs.find((s) => s.id === p);
  }
  return d;
}

buildCli()
  .parseAsync(process.argv)
  .catch((err) => fail(err));
