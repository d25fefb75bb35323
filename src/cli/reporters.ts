import type { ResolvedTree } from '../config/resolve-tree.js';
import type { RunReporter } from './run-reporter.js';

/** Extra reporters for a tree, chosen by the kinds it uses (the rover mission adds its own). */
export async function reportersFor(tree: ResolvedTree, _flags: Record<string, unknown>): Promise<RunReporter[]> {
  void tree;
  return [];
}
