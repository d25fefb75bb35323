import type { z } from 'zod';
import type { AnyNodeKind } from '../node/node-kind.js';
import type { NodeSpec } from '../node/node-runtime.js';
import { describeIssues } from '../wire/codec.js';
import { closest, type ConfigProblem } from './config-problem.js';
import type { TreeConfig } from './config-schema.js';

export type KindRegistry = ReadonlyMap<string, AnyNodeKind>;

/** A config that passed every check, with each node's place and timing worked out. */
export interface ResolvedTree {
  config: TreeConfig;
  /** In config order; the root first is not guaranteed: use `root`. */
  specs: NodeSpec[];
  root: string;
  kinds: KindRegistry;
}

/**
 * Checks the tree's own rules (one root, unique ids, parents exist, no cycles, a
 * child no slower than its parent, known kinds, valid kind params) and computes each
 * node's level, children, siblings and timing. Returns every problem found.
 */
export function resolveTree(config: TreeConfig, kinds: KindRegistry, baseDir = '.'): { tree?: ResolvedTree; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const nodes = config.nodes;
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (index.has(n.id)) {
      problems.push({ path: ['nodes', i, 'id'], message: `duplicate node id "${n.id}" (also nodes[${index.get(n.id)}])`, hint: 'every node needs its own id' });
    } else index.set(n.id, i);
  });
  const roots = nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.parent === undefined);
  if (roots.length === 0) problems.push({ path: ['nodes'], message: 'the tree has no root', hint: 'leave "parent" out on exactly one node' });
  if (roots.length > 1) {
    for (const { n, i } of roots.slice(1)) {
      problems.push({ path: ['nodes', i], message: `"${n.id}" has no parent, but "${roots[0].n.id}" is already the root`, hint: `give "${n.id}" a parent; a tree has one root` });
    }
  }
  nodes.forEach((n, i) => {
    if (n.parent !== undefined && !index.has(n.parent)) {
      const guess = closest(n.parent, index.keys());
      problems.push({ path: ['nodes', i, 'parent'], message: `parent "${n.parent}" is not a node of this tree`, hint: guess ? `did you mean "${guess}"?` : `use one of: ${[...index.keys()].join(', ')}` });
    }
    if (n.parent === n.id) problems.push({ path: ['nodes', i, 'parent'], message: `"${n.id}" is its own parent`, hint: 'a node cannot command itself' });
    const kind = kinds.get(n.kind);
    if (!kind) {
      const guess = closest(n.kind, kinds.keys());
      problems.push({ path: ['nodes', i, 'kind'], message: `unknown node kind "${n.kind}"`, hint: guess ? `did you mean "${guess}"? (strata kinds lists them all)` : `known kinds: ${[...kinds.keys()].join(', ')}; or declare yours under "kinds:"` });
    } else {
      const parsed = (kind.params as z.ZodType).safeParse(n.params);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          problems.push({ path: ['nodes', i, 'params', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message, hint: `see the "${n.kind}" kind's parameters (strata kinds ${n.kind})` });
        }
        void describeIssues;
      }
    }
    if (!(n.period > 0)) problems.push({ path: ['nodes', i, 'period'], message: 'the period must be more than 0', hint: 'e.g. period: 100ms' });
  });
  // Cycles: with parents resolved, any node that cannot reach the root by parents is on a cycle.
  if (roots.length >= 1) {
    for (const [i, n] of nodes.entries()) {
      const seen = new Set<string>();
      let cur: string | undefined = n.id;
      while (cur !== undefined && !seen.has(cur)) {
        seen.add(cur);
        const ci = index.get(cur);
        cur = ci === undefined ? undefined : nodes[ci].parent;
      }
      if (cur !== undefined) {
        problems.push({ path: ['nodes', i, 'parent'], message: `"${n.id}" is on a cycle of parents (${[...seen].join(' → ')} → ${cur})`, hint: 'each node must lead up to the root' });
        break;
      }
    }
  }
  nodes.forEach((n, i) => {
    const pi = n.parent === undefined ? undefined : index.get(n.parent);
    if (pi !== undefined && n.period > nodes[pi].period) {
      problems.push({ path: ['nodes', i, 'period'], message: `"${n.id}" cycles every ${n.period}ms, slower than its parent "${n.parent}" (${nodes[pi].period}ms)`, hint: 'lower levels run at least as fast as the levels above them' });
    }
  });
  if (problems.length > 0) return { problems };

  const children = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) if (n.parent) children.get(n.parent)!.push(n.id);
  const height = (id: string): number => Math.max(-1, ...children.get(id)!.map(height)) + 1;
  const periodOf = (id: string | undefined): number => (id === undefined ? 0 : nodes[index.get(id)!].period);
  const specs: NodeSpec[] = nodes.map((n) => {
    const horizon = n.horizon ?? n.period * 10;
    return {
      id: n.id,
      kind: n.kind,
      parent: n.parent ?? null,
      children: children.get(n.id)!,
      siblings: n.parent ? children.get(n.parent)!.filter((s) => s !== n.id) : [],
      level: n.level ?? height(n.id),
      periodMs: n.period,
      horizonMs: horizon,
      replanMs: n.replan ?? horizon / 10,
      parentPeriodMs: periodOf(n.parent),
      heartbeatMs: n.heartbeat ?? Math.max(1000, n.period),
      params: (kinds.get(n.kind)!.params as z.ZodType).parse(n.params),
      baseDir,
      onParentLost: n.on_parent_lost,
    };
  });
  return { tree: { config, specs, root: roots[0].n.id, kinds }, problems };
}
