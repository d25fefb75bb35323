import { builtinKinds } from '../../nodes/index.js';
import { parseConfigText } from '../../src/config/load-config.js';
import type { ResolvedTree } from '../../src/config/resolve-tree.js';
import { silentLogger } from '../../src/log/logger.js';
import type { AnyNodeKind } from '../../src/node/node-kind.js';
import type { Clock } from '../../src/time/clock.js';
import { createRandom } from '../../src/time/random.js';
import { frozenStopwatch, wallStopwatch } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { TreeRun } from '../../src/tree/tree-run.js';
import type { TestBroker } from './brokers.js';

/** Resolves a config given as YAML text, with the built-in kinds plus `extra`. */
export async function treeFrom(yamlText: string, extra: AnyNodeKind[] = []): Promise<ResolvedTree> {
  const kinds = new Map(builtinKinds);
  for (const k of extra) kinds.set(k.kind, k);
  return parseConfigText(yamlText, 'test.yaml', kinds);
}

/** Starts a whole tree on a test broker. */
export async function startRun(tree: ResolvedTree, broker: TestBroker, opts: { clock?: Clock; seed?: string; lockstep?: boolean; onPublish?: (t: string, p: string, now: number) => void } = {}): Promise<TreeRun> {
  const clock = opts.clock ?? new VirtualClock();
  const run = new TreeRun({
    tree,
    clock,
    random: createRandom(opts.seed ?? '1'),
    log: silentLogger,
    link: broker.link,
    session: clock.mode === 'virtual' ? 1 : Date.now(),
    stopwatch: clock.mode === 'virtual' ? frozenStopwatch : wallStopwatch,
    lockstep: opts.lockstep,
    onPublish: opts.onPublish,
  });
  await run.start();
  return run;
}
