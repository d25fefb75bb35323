import type { Command } from 'commander';
import type { BrokerFlags } from '../cli/connect.js';

/**
 * The broker flags of tools that watch a tree someone else runs (record, inspect):
 * `--broker` is required, since an embedded broker of their own would be empty.
 */
export function withClientOptions(c: Command): Command {
  return c
    .option('--broker <url>', 'the MQTT broker the tree runs on (mqtt://host:port, mqtts://..., ws://...)')
    .option('--username <name>', 'broker user name')
    .option('--password <secret>', 'broker password (or set STRATA_PASSWORD)')
    .option('--ca <file>', 'TLS: CA certificate (PEM) to trust')
    .option('--cert <file>', 'TLS: client certificate (PEM)')
    .option('--key <file>', 'TLS: client key (PEM)')
    .option('--insecure', 'TLS: do not check the broker certificate');
}

/** Bad usage (a missing or malformed flag): the CLI exits 2 with the message. */
export class UsageError extends Error {}

/**
 * Runs a verb's body; a UsageError ends the process with exit code 2 and the message
 * (commander prints it with the verb's usage hint), anything else propagates.
 */
export async function withUsageErrors(cmd: Command, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof UsageError) cmd.error(`strata ${cmd.name()}: ${err.message}`, { exitCode: 2, code: 'strata.usage' });
    throw err;
  }
}

/** Throws, saying what to do, when `--broker` is missing. */
export function requireBroker(flags: BrokerFlags): string {
  if (!flags.broker) {
    throw new UsageError(
      `needs --broker <url>: the broker of a running tree, e.g. --broker mqtt://127.0.0.1:1883 (strata run prints its broker's URL on its first line)`,
    );
  }
  return flags.broker;
}

/** Checks a tree id given on the command line. */
export function checkTreeId(tree: string | undefined): void {
  if (tree !== undefined && !/^[A-Za-z0-9_-]+$/.test(tree)) throw new UsageError(`--tree "${tree}" is not a tree id; use only letters, digits, "_" and "-" (the tree: line of its config)`);
}
