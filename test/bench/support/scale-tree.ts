import { builtinKinds } from '../../../nodes/index.js';
import { parseConfigText } from '../../../src/config/load-config.js';
import type { ResolvedTree } from '../../../src/config/resolve-tree.js';

/**
 * Periods by depth (root first), after 4D/RCS's ten-per-level, slowed at the bottom for
 * a 2-core machine: 1,000 leaves at 100 ms would be 10,000 cycles/s in one process.
 */
export const SCALE_PERIODS_MS = [10_000, 1_000, 500, 250] as const;

/** Node ids: `n`, `n0`..`n9`, `n00`..`n99`, `n000`..`n999` (each id's parent is its prefix). */
export function scaleIds(fanout = 10, depth = 3): string[][] {
  const levels: string[][] = [['n']];
  for (let d = 1; d <= depth; d++) levels.push(levels[d - 1].flatMap((p) => Array.from({ length: fanout }, (_, i) => `${p}${i}`)));
  return levels;
}

/**
 * The scale tree's config: sequencers inside, workers at the leaves, every node beating
 * its heart each second. Built as JSON text (valid YAML) and checked by the real loader.
 */
export async function scaleTree(treeId: string, opts: { fanout?: number; depth?: number; periods?: readonly number[] } = {}): Promise<ResolvedTree> {
  const depth = opts.depth ?? 3;
  const periods = opts.periods ?? SCALE_PERIODS_MS;
  const levels = scaleIds(opts.fanout ?? 10, depth);
  const nodes = levels.flatMap((ids, d) =>
    ids.map((id) => ({
      id,
      kind: d === depth ? 'worker' : 'sequencer',
      ...(d === 0 ? {} : { parent: id.slice(0, -1) }),
      period: `${periods[Math.min(d, periods.length - 1)]}ms`,
      heartbeat: '1s',
    })),
  );
  const text = JSON.stringify({ tree: treeId, time: { mode: 'real' }, nodes });
  return parseConfigText(text, `${treeId}.yaml`, builtinKinds);
}
