// Deliberative planning figures: HTN mission planning, A* on a large grid, and D* Lite
// repair against A* from scratch after cells change near the robot.
import { type Benchmark, percentile, round } from './benchmark.js';
import {
  type CellChange,
  type CostMap,
  DStarLite,
  astar,
  cellIndex,
  createCostMap,
  planHtn,
  roverMission,
} from '../../src/planning/index.js';
import { createRandom } from '../../src/time/random.js';
import { roverHtnMission } from '../support/rover-htn-fixture.js';

const SIZE = 1000;
const OBSTACLES = 0.3;

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** The 20-target mission of the rover domain, with two chargers besides base. */
function missionSetup() {
  return roverHtnMission(20, 'bench/htn');
}

/** A 1000 x 1000 map with 30 % random obstacles; the first seed (in order) whose corners connect. */
function gridSetup(): { map: CostMap; seed: string } {
  const map = createCostMap({ width: SIZE, height: SIZE });
  for (let k = 0; ; k++) {
    const seed = `bench/grid/${k}`;
    const random = createRandom(seed);
    for (let i = 0; i < map.blocked.length; i++) map.blocked[i] = random.next() < OBSTACLES ? 1 : 0;
    map.blocked[0] = 0;
    map.blocked[map.blocked.length - 1] = 0;
    if (astar(map, 0, map.blocked.length - 1).found) return { map, seed };
  }
}

/** 50 changes near the robot: the next path cells ahead become blocked, the rest are random flips within 8 cells. */
function changesNear(map: CostMap, robot: number, path: Int32Array, at: number, random: ReturnType<typeof createRandom>, goal: number): CellChange[] {
  const out = new Map<number, CellChange>();
  for (let k = at + 3; k < Math.min(path.length - 1, at + 8); k++) out.set(path[k], { cell: path[k], blocked: true });
  const rx = robot % map.width;
  const ry = Math.floor(robot / map.width);
  while (out.size < 50) {
    const c = cellIndex(map, rx + random.int(-8, 8), ry + random.int(-8, 8));
    if (c < 0 || c === robot || c === goal || out.has(c)) continue;
    out.set(c, { cell: c, blocked: map.blocked[c] === 0 });
  }
  return [...out.values()];
}

export const bench: Benchmark = {
  name: 'planning',
  description: 'HTN 20-target mission; A* 1000x1000 at 30% obstacles; D* Lite repair vs A* re-plan after 50 nearby cell changes',
  async run(ctx) {
    const { domain, state } = missionSetup();
    const htnRuns: number[] = [];
    let plan = planHtn(domain, state, [roverMission]);
    for (let i = 0; i < 20; i++) {
      const r = time(() => planHtn(domain, state, [roverMission]));
      htnRuns.push(r.ms);
      plan = r.value;
    }
    if (!plan.complete) throw new Error(`planning bench: the HTN mission did not plan: ${plan.reason}`);
    ctx.log(`htn: ${plan.steps.length} steps, ${plan.stats.expansions} expansions, ${plan.stats.backtracks} backtracks`);

    const { map, seed } = gridSetup();
    const goal = map.blocked.length - 1;
    const astarRuns: number[] = [];
    let first = astar(map, 0, goal);
    for (let i = 0; i < 3; i++) {
      const r = time(() => astar(map, 0, goal));
      astarRuns.push(r.ms);
      first = r.value;
    }
    ctx.log(`astar: seed ${seed}, cost ${first.cost.toFixed(1)}, ${first.expansions} expansions`);

    const dstar = new DStarLite(map, 0, goal);
    const init = time(() => dstar.plan());
    let path = init.value.cells;
    const random = createRandom('bench/changes');
    const repairRuns: number[] = [];
    const replanRuns: number[] = [];
    let costsMatch = true;
    let repairExpansions = 0;
    for (let round = 0; round < 5; round++) {
      // The robot drives 40 cells along its path, then senses 50 changed cells around it.
      const robot = path[Math.min(40, path.length - 1)];
      dstar.moveStart(robot);
      const changes = changesNear(map, robot, path, 40, random, goal);
      // Collect the last A* run's garbage first (npm run bench passes --expose-gc): a
      // sub-millisecond repair must not be timed with a collection inside it.
      global.gc?.();
      const repair = time(() => {
        dstar.applyChanges(changes);
        return dstar.plan();
      });
      global.gc?.();
      const replan = time(() => astar(map, robot, goal));
      repairRuns.push(repair.ms);
      replanRuns.push(replan.ms);
      repairExpansions += repair.value.expansions;
      if (repair.value.found !== replan.value.found || Math.abs(repair.value.cost - replan.value.cost) > 1e-6 * replan.value.cost) costsMatch = false;
      if (!repair.value.found) throw new Error('planning bench: the changes cut the robot off; pick another change seed');
      path = repair.value.cells;
    }
    const repairMs = percentile(repairRuns, 50);
    const replanMs = percentile(replanRuns, 50);
    return {
      htn_ms: round(percentile(htnRuns, 50)),
      htn_steps: plan.steps.length,
      htn_expansions: plan.stats.expansions,
      astar_ms: round(percentile(astarRuns, 50)),
      astar_expansions: first.expansions,
      dstar_initial_ms: round(init.ms),
      repair_ms: round(repairMs),
      replan_ms: round(replanMs),
      repair_speedup: round(replanMs / repairMs, 1),
      repair_expansions_mean: Math.round(repairExpansions / 5),
      costs_match: costsMatch,
    };
  },
};
