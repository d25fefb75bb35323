import { endpointFromFlags, type BrokerFlags } from '../../cli/connect.js';
import type { ResolvedTree } from '../../config/resolve-tree.js';
import { MqttLink } from '../../link/mqtt-link.js';
import type { Logger } from '../../log/logger.js';
import { NodeRuntime } from '../../node/node-runtime.js';
import { createRandom } from '../../time/random.js';
import { RealClock, wallStopwatch } from '../../time/real-clock.js';
import type { Secrets } from '../../security/io/security-files.js';
import { untilStopped } from './until-stopped.js';

/**
 * Several nodes of a tree in one process (a `--group` of `strata launch`), in real
 * time, each with its own connection and, given secrets, its own credentials. Runs
 * until SIGINT/SIGTERM or the launcher is gone, then every node announces `offline` and
 * disconnects.
 */
export async function runNodeGroup(tree: ResolvedTree, ids: string[], flags: BrokerFlags & { seed?: string }, secrets: Secrets | undefined, log: Logger): Promise<void> {
  if (!flags.broker) throw new Error('a node group needs --broker (strata launch passes it)');
  const clock = new RealClock();
  const session = Date.now();
  const nodes: NodeRuntime[] = [];
  for (const id of ids) {
    const spec = tree.specs.find((s) => s.id === id);
    if (!spec) throw new Error(`no node "${id}" in tree ${tree.config.tree}; nodes are: ${tree.specs.map((s) => s.id).join(', ')}`);
    const password = secrets?.users[id];
    if (secrets && password === undefined) throw new Error(`the secrets file has no password for node "${id}"; regenerate it with strata acl`);
    const endpoint = { ...endpointFromFlags(flags, flags.broker), ...(secrets ? { username: id, password } : {}) };
    nodes.push(
      new NodeRuntime({
        tree: tree.config.tree,
        spec,
        kind: tree.kinds.get(spec.kind)!,
        clock,
        random: createRandom(flags.seed ?? String(tree.config.seed)).fork(`node/${id}`),
        log: log.child({ node: id }),
        link: ({ clientId, will }) => new MqttLink({ clientId, will, endpoint, log: log.child({ link: clientId }) }),
        session,
        maxPayload: tree.config.max_payload,
        stopwatch: wallStopwatch,
      }),
    );
  }
  await Promise.all(nodes.map((n) => n.start()));
  log.info(`nodes ${ids.join(', ')} online at ${flags.broker}`);
  const reason = await untilStopped(log);
  await Promise.allSettled(nodes.map((n) => n.stop(reason)));
}
