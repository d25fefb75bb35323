import { Command } from 'commander';
import { withClientOptions, withUsageErrors } from '../../tools/client-options.js';
import { recordCommand } from '../../tools/recording/io/record-command.js';
import { EXIT, action, loggerFor } from '../cli-support.js';

/** Registers `strata record`: a live tree's messages into an MCAP file. */
export function register(program: Command): void {
  withClientOptions(
    program
      .command('record')
      .description('record every message of live trees (strata/#, or one tree) into an MCAP file that Foxglove and `strata replay` read')
      .option('-o, --output <file.mcap>', 'the recording to write')
      .option('--tree <id>', 'record only this tree (strata/<id>/#)')
      .option('--duration <d>', 'stop after this much wall time (e.g. 30s, 10min); default: until Ctrl-C')
      .option('--verbose', 'print every message as it is recorded (topic and a one-line summary)'),
  )
    .addHelpText(
      'after',
      `
Each topic becomes an MCAP channel with JSON messages and the JSON Schema of its
contract (strata schema), so Foxglove decodes every field. Log times are the arrival
times (wall clock, ns). Ctrl-C or SIGTERM closes the file cleanly and prints the
message count per topic. To record a run as it runs, in its own (virtual) time:
strata run <config> --record run.mcap.

Examples:
  strata record --broker mqtt://127.0.0.1:1883 -o run.mcap
  strata record --broker mqtt://127.0.0.1:1883 --tree demo -o demo.mcap --duration 60s`,
    )
    .action(
      action(async (opts, cmd: Command) => {
        await withUsageErrors(cmd, () => recordCommand(opts, loggerFor(cmd), (l) => process.stdout.write(`${l}\n`)));
        process.exit(EXIT.ok);
      }),
    );
}
