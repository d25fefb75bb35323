import { connectBroker, type BrokerFlags } from '../../../cli/connect.js';
import type { MqttLink } from '../../../link/mqtt-link.js';
import type { Logger } from '../../../log/logger.js';
import { UsageError, checkTreeId, requireBroker } from '../../client-options.js';
import { stopSignal } from '../../recording/io/stop-signal.js';
import { formatTailLine } from '../tail-format.js';
import { formatNodeTable, nodesFromMessages } from '../tree-table.js';
import { collectRetained } from './collect-retained.js';

export interface InspectFlags extends BrokerFlags {
  tree?: string;
  tail?: string;
  json?: boolean;
}

/**
 * `strata inspect`: the nodes of live trees from their retained state and status; or,
 * with `tail`, one node's messages as they come, until Ctrl-C. Resolves true when it
 * found something to show.
 */
export async function inspectCommand(flags: InspectFlags, log: Logger, print: (line: string) => void, options: { signal?: AbortSignal } = {}): Promise<boolean> {
  const url = requireBroker(flags);
  checkTreeId(flags.tree);
  if (flags.tail !== undefined && !/^[A-Za-z0-9_-]+$/.test(flags.tail)) throw new UsageError(`--tail "${flags.tail}" is not a node id; give the id of a node, as listed by strata inspect --broker ${url}`);
  const conn = await connectBroker(flags, log);
  const link = conn.link({ clientId: `strata-inspect-${process.pid}-${Date.now().toString(36)}` });
  try {
    await link.connect();
    return flags.tail !== undefined ? await tail(link, flags.tree, flags.tail, url, print, options.signal) : await list(link, flags, url, print);
  } finally {
    await link.end().catch(() => undefined);
    await conn.close();
  }
}

async function list(link: MqttLink, flags: InspectFlags, url: string, print: (line: string) => void): Promise<boolean> {
  const tree = flags.tree ?? '+';
  const got = await collectRetained(link, [`strata/${tree}/+/state`, `strata/${tree}/+/status`]);
  const rows = nodesFromMessages(got);
  if (rows.length === 0) {
    print(`no ${flags.tree ? `tree "${flags.tree}"` : 'strata trees'} on ${url}: no retained node state under strata/${tree}/+/state. Is a tree running there (strata run prints its broker's URL)?`);
    return false;
  }
  print(flags.json ? JSON.stringify(rows, null, 2) : formatNodeTable(rows));
  return true;
}

async function tail(link: MqttLink, tree: string | undefined, node: string, url: string, print: (line: string) => void, signal?: AbortSignal): Promise<boolean> {
  const filter = `strata/${tree ?? '+'}/${node}/#`;
  const stop = stopSignal();
  const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // `strata inspect --tail x | head` closes our stdout: end quietly instead of crashing.
  const onPipeError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') process.exit(0);
  };
  process.stdout.on('error', onPipeError);
  const width = process.stdout.isTTY ? (process.stdout.columns ?? 160) : 200;
  let n = 0;
  link.onMessage((topic, payload, retained) => {
    n++;
    print(formatTailLine(topic, payload.toString('utf8'), Date.now(), retained, width));
  });
  try {
    print(`tailing ${filter} on ${url} (Ctrl-C to stop)`);
    await link.subscribe([{ topic: filter, qos: 1 }]);
    if (!stopped.aborted) await new Promise<void>((resolve) => stopped.addEventListener('abort', () => resolve(), { once: true }));
    print(`stopped: ${n} messages`);
  } finally {
    stop.dispose();
    process.stdout.off('error', onPipeError);
  }
  return true;
}
