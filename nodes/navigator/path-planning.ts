import type { Plan, PlanStep } from '../../src/contracts/status.js';
import { type GridPath, astar } from '../../src/planning/grid/astar.js';
import { type CostMap, cellToWorld, worldToCell } from '../../src/planning/grid/cost-map.js';
import { DStarLite } from '../../src/planning/grid/dstar-lite.js';
import { gridPathToPoints } from '../../src/world/grid-path-points.js';
import type { XY } from '../rover/contracts.js';
import { nearestFreeCell } from './known-map.js';

/** A planned path: grid cells for the planner, waypoints (m) for the pilot. */
export interface PlannedPath {
  readonly cells: Int32Array;
  readonly cost: number;
  readonly waypoints: XY[];
  readonly expansions: number;
  readonly by: 'dstar' | 'astar' | 'escape';
}

/** One goto's incremental planner: D* Lite towards a fixed goal cell. */
export interface GotoPlanner {
  readonly dstar: DStarLite;
  readonly goal: { x: number; y: number };
  readonly goalCell: number;
  /** True when the goal point itself is free (the path may end exactly on it). */
  readonly exactGoal: boolean;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The free cell the rover plans from: its own, or the nearest free one when it stands in an inflated margin. */
export function startCellFor(map: CostMap, x: number, y: number): number {
  return nearestFreeCell(map, worldToCell(map, x, y), 3);
}

/**
 * Sets up D* Lite for a goal, or says why it cannot: a goal in an obstacle (beyond its
 * tolerance) or off the map, or a rover boxed in.
 */
export function createGotoPlanner(map: CostMap, from: { x: number; y: number }, goal: { x: number; y: number }, tolerance: number): GotoPlanner | string {
  const raw = worldToCell(map, goal.x, goal.y);
  if (raw < 0) return `goal (${goal.x}, ${goal.y}) is off the map (${map.width * map.resolution} x ${map.height * map.resolution} m)`;
  const goalCell = nearestFreeCell(map, raw, Math.max(1, Math.ceil(tolerance / map.resolution)));
  if (goalCell < 0) return `goal (${goal.x}, ${goal.y}) lies inside an obstacle or its safety margin, with no free cell within ${tolerance} m`;
  const start = startCellFor(map, from.x, from.y);
  const here = worldToCell(map, from.x, from.y);
  if (here < 0) return `the rover at (${r3(from.x)}, ${r3(from.y)}) is off the map`;
  return { dstar: new DStarLite(map, start >= 0 ? start : here, goalCell), goal, goalCell, exactGoal: goalCell === raw };
}

/**
 * Plans (or repairs) the path from the rover's position with D* Lite, falling back to A*
 * from scratch when D* Lite runs out of budget. The waypoints drop collinear cells,
 * start at the rover and end on the goal point.
 */
export function planPath(g: GotoPlanner, from: { x: number; y: number }, maxExpansions: number, core?: (marginM: number) => CostMap): PlannedPath | string {
  let map = g.dstar.map;
  const here = worldToCell(map, from.x, from.y);
  const start = startCellFor(map, from.x, from.y);
  let r: GridPath = { found: false, cells: new Int32Array(0), cost: Infinity, expansions: 0, reason: `the rover at (${r3(from.x)}, ${r3(from.y)}) has no free cell around it to plan from` };
  let by: PlannedPath['by'] = 'dstar';
  if (start >= 0) {
    g.dstar.moveStart(start);
    r = g.dstar.plan({ maxExpansions });
    if (!r.found && /budget|deadline/.test(r.reason)) {
      r = astar(map, start, g.goalCell, { maxExpansions });
      by = 'astar';
    }
  }
  if (!r.found && core && here >= 0) {
    // The safety margins closed around the rover (a rock found close by): get out along
    // obstacles without their margin; the next re-plan is back on the full map.
    // First with a thin margin (a cell's half width), then with none.
    for (const margin of [map.resolution, 0]) {
      const c = core(margin);
      const e = astar(c, nearestFreeCell(c, here, 1), g.goalCell, { maxExpansions });
      if (e.found) {
        r = e;
        map = c;
        by = 'escape';
        break;
      }
      if (margin === 0) r = { ...r, reason: `${r.reason}; not even without safety margins (${e.reason})` };
    }
  }
  if (!r.found) return r.reason;
  const pts = gridPathToPoints(map, r.cells).map((p): XY => [r3(p.x), r3(p.y)]);
  pts[0] = [r3(from.x), r3(from.y)];
  if (g.exactGoal) pts[pts.length - 1] = [r3(g.goal.x), r3(g.goal.y)];
  if (pts.length === 1) pts.push([r3(g.exactGoal ? g.goal.x : cellToWorld(map, g.goalCell).x), r3(g.exactGoal ? g.goal.y : cellToWorld(map, g.goalCell).y)]);
  return { cells: r.cells, cost: r.cost * map.resolution, waypoints: pts, expansions: r.expansions, by };
}

/** Index of the path cell nearest the rover: how far along the path it has come. */
export function progressIndex(map: CostMap, cells: Int32Array, x: number, y: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < cells.length; i++) {
    const p = cellToWorld(map, cells[i]);
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** True when a cell still ahead on the path has become blocked. */
export function pathBlocked(map: CostMap, cells: Int32Array, from: number): boolean {
  for (let i = Math.max(1, from); i < cells.length; i++) if (map.blocked[cells[i]] !== 0) return true;
  return false;
}

/** Length of the path still ahead (m): from the rover to its projection on the nearest segment, then along the rest. */
export function remainingLength(waypoints: readonly XY[], x: number, y: number): number {
  if (waypoints.length === 1) return Math.hypot(waypoints[0][0] - x, waypoints[0][1] - y);
  let best = Infinity;
  let total = 0;
  // Walk back from the end, so each segment knows the length after it.
  let after = 0;
  for (let i = waypoints.length - 2; i >= 0; i--) {
    const [ax, ay] = waypoints[i];
    const [bx, by] = waypoints[i + 1];
    const ex = bx - ax;
    const ey = by - ay;
    const len2 = ex * ex + ey * ey;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len2));
    const px = ax + ex * t;
    const py = ay + ey * t;
    const d = Math.hypot(px - x, py - y);
    if (d < best) {
      best = d;
      total = d + Math.hypot(bx - px, by - py) + after;
    }
    after += Math.sqrt(len2);
  }
  return total;
}

/** The path as a plan a viewer can draw: one step per waypoint, passed ones done. */
export function pathPlanView(waypoints: readonly XY[], x: number, y: number, extra: { reason: string; madeAt: number; scores: Record<string, number>; child: string }): Plan {
  let reached = 0;
  let bestD = Infinity;
  for (let i = 0; i < waypoints.length; i++) {
    const d = Math.hypot(waypoints[i][0] - x, waypoints[i][1] - y);
    if (d < bestD) {
      bestD = d;
      reached = i;
    }
  }
  let active = false;
  const steps: PlanStep[] = waypoints.slice(1).map((w, k) => {
    const i = k + 1;
    const done = i < reached || (i === reached && bestD < 0.3);
    const state: PlanStep['state'] = done ? 'done' : active ? 'pending' : 'active';
    if (!done) active = true;
    return { id: `w${i}`, label: `(${w[0].toFixed(1)}, ${w[1].toFixed(1)})`, state, child: extra.child };
  });
  return { steps, reason: extra.reason, made_at: extra.madeAt, scores: extra.scores };
}
