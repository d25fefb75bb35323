import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../src/contracts/ids.js';
import type { RunReporter } from '../../src/cli/run-reporter.js';
import type { ResolvedTree } from '../../src/config/resolve-tree.js';
import { formatDuration } from '../../src/config/duration.js';
import type { RunEnd, TreeRun } from '../../src/tree/tree-run.js';
import { renderSvg } from '../../sim/index.js';
import type { RoverSimWorld } from '../rover-sim/rover-sim.js';

/**
 * What a person wants from a rover mission run: progress (mission time, targets,
 * battery, plan step), a summary (outcome, targets, distance, energy, collisions,
 * re-plans, minimum battery) and a picture of the map with the rover's path and the
 * obstacles as the rover came to know them. Ground truth comes from the simulator's
 * world model, read in process; the rest from the messages the tree published.
 */
export function missionReporter(tree: ResolvedTree, seed: string): RunReporter | undefined {
  const rover = tree.specs.find((s) => s.kind === 'rover-sim');
  if (!rover) return undefined;
  const mission = tree.specs.find((s) => s.kind === 'mission')?.id ?? tree.root;
  const navigator = tree.specs.find((s) => s.kind === 'navigator')?.id;
  let step: string | undefined;
  let missionReplans = 0;
  let navReplans = 0;
  let discovered: Array<[number, number]> = [];
  let planned: Array<[number, number]> = [];
  let truthOf: (() => RoverSimWorld | undefined) | undefined;
  let silenced: string | undefined;
  /** Nodes that stopped their command because their parent died (the safe stop), with their words. */
  const safeStops: Array<{ node: string; t: number; reason: string }> = [];
  const world = (run: TreeRun): RoverSimWorld | undefined => run.nodes.get(rover.id)?.worldModel() as RoverSimWorld | undefined;

  return {
    attach(run) {
      truthOf = () => world(run);
      const w = world(run);
      if (!w) return;
      for (const e of w.scenario.events) {
        if (e.kind !== 'node_silent') continue;
        silenced = e.node;
        run.scheduleCrash(e.node, e.at_s * 1000);
      }
      return { durationMs: w.scenario.spec.time_limit_s * 1000 };
    },
    onMessage(topic, payload, now) {
      if (payload.length === 0) return;
      if (topic.endsWith('/status') && payload.includes('stopped safely')) {
        const s = JSON.parse(payload) as { node: string; state: string; reason: string };
        if (s.state === 'aborted') safeStops.push({ node: s.node, t: now, reason: s.reason });
      }
      if (topic.endsWith(`/${mission}/status`)) {
        const s = JSON.parse(payload) as { plan?: { steps: Array<{ label: string; state: string }> } };
        step = s.plan?.steps.find((x) => x.state === 'active')?.label ?? step;
      } else if (topic.endsWith(`/${mission}/health`)) {
        const h = JSON.parse(payload) as { detail?: { replans?: number } };
        if (typeof h.detail?.replans === 'number') missionReplans = h.detail.replans;
      } else if (navigator && topic.endsWith(`/${navigator}/sense`)) {
        const s = JSON.parse(payload) as { values: { replans?: number; discovered?: Array<[number, number]>; path?: Array<[number, number]> } };
        if (typeof s.values.replans === 'number') navReplans = s.values.replans;
        if (Array.isArray(s.values.discovered)) discovered = s.values.discovered;
        if (Array.isArray(s.values.path)) planned = s.values.path;
      }
    },
    progress(now) {
      const w = truthOf?.();
      if (!w) return `mission ${formatDuration(now)}`;
      const t = w.sim.truth();
      // The plan step is on the root's own progress line when the mission is the root.
      const stepText = mission === tree.root ? '' : ` · ${step ?? 'planning'}`;
      return `targets ${t.targets_sampled.length}/${t.targets_total} · battery ${Math.round(t.battery * 100)}%${stepText}`;
    },
    outcome(end, run) {
      const t = world(run)?.sim.truth();
      if (t?.lost) return `rover lost: ${t.lost_reason ?? 'unknown reason'}`;
      if (t?.depleted) return 'battery exhausted';
      if (end === 'done') {
        if (t && t.targets_sampled.length < t.targets_total) {
          return `incomplete: sampled ${t.targets_sampled.length} of ${t.targets_total} targets (${run.rootOutcome()?.reason || 'the mission gave up on the rest'})`;
        }
        if (t && !t.at_base) return 'incomplete: the rover did not end at the base';
        return 'success';
      }
      if (silenced && t && Math.abs(t.v) < 1e-3 && Math.abs(t.w) < 1e-3 && safeStops.length > 0) {
        const first = safeStops[0];
        return `safe_stop: ${silenced} went silent; ${first.node} stopped safely at t=${formatDuration(first.t)} and the rover is standing still`;
      }
      const root = run.rootOutcome();
      if (root) return `mission ${root.state}: ${root.reason || 'no reason given'}`;
      if (end === 'time') return 'time limit reached before the mission ended';
      return undefined;
    },
    summary(end, run): Record<string, Json> {
      const w = world(run);
      const t = w?.sim.truth();
      if (!w || !t) return {};
      // Did the run end as its scenario expects (success, or a safe stop), within its collision budget?
      const expect = w.scenario.spec.expect;
      const outcome = this.outcome?.(end, run) ?? '';
      const asExpected = outcome.startsWith(expect.outcome) && t.collisions <= expect.max_collisions;
      return {
        expected_outcome: expect.outcome,
        as_expected: asExpected,
        targets_total: t.targets_total,
        targets_done: t.targets_sampled.length,
        targets_sampled: t.targets_sampled,
        collisions: t.collisions,
        battery_min: round(t.battery_min),
        battery_end: round(t.battery),
        distance_m: round(t.distance_m),
        energy_wh: round(t.energy_used_wh),
        replans: navReplans + missionReplans,
        path_replans: navReplans,
        mission_replans: missionReplans,
        discovered_obstacles: discovered.length,
        ...(silenced ? { silenced, safe_stops: safeStops.map((s) => `${s.node}@${formatDuration(s.t)}: ${s.reason}`) } : {}),
      };
    },
    async finish(run, outDir) {
      const w = world(run);
      if (!w) return [];
      const t = w.sim.truth();
      const sim = w.scenario.world;
      const known = new Set<number>();
      for (const [x, y] of discovered) known.add(sim.index(sim.cellOf(x), sim.cellOf(y)));
      const svg = renderSvg(sim, {
        title: `${tree.config.tree} · ${w.scenario.spec.name} · seed ${seed}`,
        notes: [
          `${t.targets_sampled.length}/${t.targets_total} targets · ${round(t.distance_m)} m · ${round(t.energy_used_wh)} Wh · collisions ${t.collisions} · battery min ${Math.round(t.battery_min * 100)}%`,
        ],
        knownCells: known,
        path: w.sim.path(),
        planned,
        sampled: t.targets_sampled,
        pose: t.pose,
      });
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${tree.config.tree}-seed${seed}.svg`);
      writeFileSync(file, svg);
      return [file];
    },
  } satisfies RunReporter & Record<string, unknown>;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
