import { Command } from 'commander';
import { withUsageErrors } from '../../tools/client-options.js';
import { replayCommand } from '../../tools/recording/io/replay-command.js';
import { EXIT, action, loggerFor, withBrokerOptions } from '../cli-support.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers `strata replay`: republishes an MCAP recording. */
export function register(program: Command): void {
  withBrokerOptions(
    program
      .command('replay')
      .description('republish an MCAP recording (strata record, strata run --record) with its original timing, or faster')
      .argument('<file.mcap>', 'the recording')
      .option('--rate <x>', 'speed: 1 original timing, 2 twice as fast, 0 as fast as possible', '1')
      .option('--topic-prefix <prefix>', 'prepend this to every topic (e.g. replay/), so the replay does not mix with a live tree')
      .option('--as-tree <id>', 'republish under another tree id (strata/<id>/...), e.g. to inspect it beside the live tree')
      .option('--only <filter>', 'only topics matching this MQTT filter (repeatable), e.g. --only "strata/demo/+/status"', collect)
      .option('--verbose', 'print every message as it is republished'),
  )
    .addHelpText(
      'after',
      `
Timing is relative to the first message, on the wall clock. QoS and retained follow
each channel's contract (status and state are retained, so the broker keeps the last).
Without --broker an embedded broker is started, and its URL printed, for tools to watch.

Examples:
  strata replay run.mcap --broker mqtt://127.0.0.1:1883
  strata replay run.mcap --rate 0 --as-tree demo-replay --broker mqtt://127.0.0.1:1883`,
    )
    .action(
      action(async (file: string, opts, cmd: Command) => {
        await withUsageErrors(cmd, () => replayCommand(file, opts, loggerFor(cmd), (l) => process.stdout.write(`${l}\n`)));
        process.exit(EXIT.ok);
      }),
    );
}
