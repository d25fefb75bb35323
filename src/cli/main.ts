#!/usr/bin/env node
import { Command, Option } from 'commander';
import { logLevels } from '../log/logger.js';
import { fail } from './cli-support.js';
import { registerCoreCommands } from './core-commands.js';
import { registerMoreCommands } from './commands/index.js';

/** The `strata` command line: one verb per module, each with its own --help. */
export function buildCli(): Command {
  const program = new Command('strata')
    .description('Hierarchical robot control after the Reference Model Architecture (NIST RCS): a tree of nodes over MQTT.')
    .version('0.1.0')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels as unknown as string[]).default('info'))
    .addOption(new Option('--log-format <format>', 'log format (default: pretty on a terminal, JSON otherwise)').choices(['json', 'pretty']))
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  strata run configs/demo.yaml                       whole tree, embedded broker, virtual time
  strata run configs/demo.yaml --realtime            the same on the wall clock
  strata node configs/demo.yaml --id arm --broker mqtt://127.0.0.1:1883
  strata validate configs/demo.yaml                  check a config (exit 2 if invalid)
  strata kinds                                       node kinds and their verbs`,
    );
  registerCoreCommands(program);
  registerMoreCommands(program);
  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch((err) => fail(err));
