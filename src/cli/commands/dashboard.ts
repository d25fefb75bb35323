import type { Command } from 'commander';
import { startRunDashboard } from '../../dashboard/run-dashboard.js';
import { EXIT, action, loggerFor } from '../cli-support.js';

/** Parses `--port`: a whole number 0..65535 (0 = a free port); undefined when not a port. */
function parsePort(text: string): number | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Registers `strata dashboard`: the live page for a tree already running on a broker. */
export function register(program: Command): void {
  program
    .command('dashboard')
    .description('serve a live dashboard of a running tree on localhost and print its URL (Ctrl-C to stop)')
    .option('--broker <url>', "the tree's broker: ws://host:port/mqtt (its MQTT-over-WebSocket listener, used directly by the page) or mqtt://host:port (bridged by this server)", 'mqtt://127.0.0.1:1883')
    .option('--tree <id>', 'show only this tree (default: every tree on the broker)')
    .option('--port <n>', 'page port on 127.0.0.1 (default 7070, or a free one if taken; 0 = a free one)')
    .addHelpText(
      'after',
      `
Examples:
  strata dashboard                                          a tree on the local broker (mqtt://127.0.0.1:1883)
  strata dashboard --broker ws://127.0.0.1:9001/mqtt --tree demo
  strata run configs/demo.yaml --realtime --dashboard       the run's own dashboard`,
    )
    .action(
      action(async (opts: { broker: string; tree?: string; port?: string }, cmd: Command) => {
        const log = loggerFor(cmd);
        if (!/^(wss?|mqtts?):\/\//.test(opts.broker)) {
          cmd.error(`error: --broker "${opts.broker}" is not a broker URL: give ws://host:port/mqtt (MQTT over WebSocket) or mqtt://host:port`, { exitCode: EXIT.usage });
        }
        const port = opts.port === undefined ? undefined : parsePort(opts.port);
        if (opts.port !== undefined && port === undefined) cmd.error(`error: --port "${opts.port}" is not a port: give a whole number from 0 to 65535 (0 = a free one)`, { exitCode: EXIT.usage });
        const dash = await startRunDashboard({ broker: opts.broker, tree: opts.tree, port, log });
        process.stdout.write(`dashboard ${dash.url}\n`);
        process.stdout.write(`  showing ${opts.tree ? `tree ${opts.tree}` : 'every tree'} on ${opts.broker}${dash.mqttWsUrl === opts.broker ? '' : ` (bridged at ${dash.mqttWsUrl})`}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await dash.close();
      }),
    );
}
