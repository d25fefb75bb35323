import type { ResolvedTree } from '../config/resolve-tree.js';
import type { Logger } from '../log/logger.js';
import { NodeRuntime } from '../node/node-runtime.js';
import { createRandom } from '../time/random.js';
import { RealClock, wallStopwatch } from '../time/real-clock.js';
import { connectBroker, type BrokerFlags } from './connect.js';
import { untilStopped } from '../supervisor/io/until-stopped.js';

export interface NodeFlags extends BrokerFlags {
  id: string;
  seed?: string;
}

/**
 * `strata node`: one node of a tree in its own process, in real time, through any
 * broker. Runs until SIGINT/SIGTERM (or, under `strata launch`, until the launcher is
 * gone), then announces `offline` and exits.
 */
export async function runOneNode(tree: ResolvedTree, flags: NodeFlags, log: Logger): Promise<void> {
  const spec = tree.specs.find((s) => s.id === flags.id);
  if (!spec) throw new Error(`no node "${flags.id}" in tree ${tree.config.tree}; nodes are: ${tree.specs.map((s) => s.id).join(', ')}`);
  const conn = await connectBroker(flags, log, tree.config.broker.port);
  const clock = new RealClock();
  const node = new NodeRuntime({
    tree: tree.config.tree,
    spec,
    kind: tree.kinds.get(spec.kind)!,
    clock,
    random: createRandom(flags.seed ?? String(tree.config.seed)).fork(`node/${spec.id}`),
    log: log.child({ node: spec.id }),
    link: ({ clientId, will }) => conn.link({ clientId, will }),
    session: Date.now(),
    maxPayload: tree.config.max_payload,
    stopwatch: wallStopwatch,
  });
  await node.start();
  log.info(`node ${spec.id} (${spec.kind}, level ${spec.level}, period ${spec.periodMs}ms) online at ${conn.url}`);
  await node.stop(await untilStopped(log));
  await conn.close();
}
