import type { ResolvedTree } from '../config/resolve-tree.js';
import { missionReporter } from '../../nodes/rover/mission-reporter.js';
import type { RunReporter } from './run-reporter.js';

/** Extra reporters for a tree, chosen by the kinds it uses (a tree with a simulated rover gets the mission reporter). */
export async function reportersFor(tree: ResolvedTree, flags: { seed?: string }): Promise<RunReporter[]> {
  const out: RunReporter[] = [];
  const mission = missionReporter(tree, flags.seed ?? String(tree.config.seed));
  if (mission) out.push(mission);
  return out;
}
