import { Command } from 'commander';
import { withClientOptions, withUsageErrors } from '../../tools/client-options.js';
import { inspectCommand } from '../../tools/inspect/io/inspect-command.js';
import { EXIT, action, loggerFor } from '../cli-support.js';

/** Registers `strata inspect`: live trees' nodes, or one node's messages. */
export function register(program: Command): void {
  withClientOptions(
    program
      .command('inspect')
      .description("list the nodes of live trees from their retained state (level, parent, online, current command), or tail one node's messages")
      .option('--tree <id>', 'only this tree')
      .option('--tail <node>', "print this node's messages as they come (one line each), until Ctrl-C")
      .option('--json', 'list the nodes as JSON'),
  )
    .addHelpText(
      'after',
      `
The list comes from the retained state (births, deaths) and status topics the broker
keeps; it waits until retained messages stop coming (~300 ms, at most 3 s). Exit 1
when no tree is found.

Examples:
  strata inspect --broker mqtt://127.0.0.1:1883
  strata inspect --broker mqtt://127.0.0.1:1883 --tree demo --tail arm`,
    )
    .action(
      action(async (opts, cmd: Command) => {
        let found = false;
        await withUsageErrors(cmd, async () => {
          found = await inspectCommand(opts, loggerFor(cmd), (l) => process.stdout.write(`${l}\n`));
        });
        process.exit(found ? EXIT.ok : EXIT.failed);
      }),
    );
}
