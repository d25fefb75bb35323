import { type CostMap, NEIGHBOUR_DX, NEIGHBOUR_DY, NEIGHBOUR_LEN } from './cost-map.js';
import { IndexedHeap } from './indexed-heap.js';

/** The outcome of a grid search. */
export interface GridPath {
  /** False when no path exists, or the budget ran out first (see `reason`). */
  readonly found: boolean;
  /** Cells from start to goal (inclusive); empty when not found. */
  readonly cells: Int32Array;
  /** Sum of move costs along `cells` (Infinity when not found). */
  readonly cost: number;
  /** Cells taken off the open list. */
  readonly expansions: number;
  readonly reason: string;
}

export interface AStarOptions {
  /** Stop after this many expansions (deterministic budget). Default: no limit. */
  maxExpansions?: number;
  /** Checked every 1024 expansions; return true to stop (e.g. a wall-time deadline). */
  deadline?: () => boolean;
}

/**
 * A* on the 8-connected grid with the octile heuristic, terrain costs and no corner
 * cutting past blocked cells (see {@link moveCost}). Ties on f are broken towards the
 * goal (smaller h), which keeps the search narrow on open ground without giving up
 * optimality.
 */
export function astar(map: CostMap, start: number, goal: number, options: AStarOptions = {}): GridPath {
  const { width, height, blocked, terrain } = map;
  const n = width * height;
  const none = (reason: string, expansions = 0): GridPath => ({ found: false, cells: new Int32Array(0), cost: Infinity, expansions, reason });
  if (start < 0 || start >= n || goal < 0 || goal >= n) return none(`start ${start} or goal ${goal} is outside the ${width} x ${height} map`);
  if (blocked[start] !== 0) return none(`start cell ${start} is blocked`);
  if (blocked[goal] !== 0) return none(`goal cell ${goal} is blocked`);

  const maxExpansions = options.maxExpansions ?? Infinity;
  const g = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const closed = new Uint8Array(n);
  const open = new IndexedHeap(n, 4096);
  const gx = goal % width;
  const gy = (goal - gx) / width;
  const h = (c: number): number => {
    const cx = c % width;
    const dx = Math.abs(cx - gx);
    const dy = Math.abs((c - cx) / width - gy);
    return dx > dy ? dx - dy + Math.SQRT2 * dy : dy - dx + Math.SQRT2 * dx;
  };

  g[start] = 0;
  const h0 = h(start);
  open.set(start, h0, h0);
  let expansions = 0;
  while (open.size > 0) {
    const u = open.pop();
    if (u === goal) break;
    closed[u] = 1;
    expansions++;
    if (expansions >= maxExpansions) return none(`budget of ${maxExpansions} expansions ran out before reaching the goal`, expansions);
    if (options.deadline && (expansions & 1023) === 0 && options.deadline()) return none('deadline passed before reaching the goal', expansions);
    const ux = u % width;
    const uy = (u - ux) / width;
    const gu = g[u];
    const tu = terrain[u];
    for (let d = 0; d < 8; d++) {
      const vx = ux + NEIGHBOUR_DX[d];
      const vy = uy + NEIGHBOUR_DY[d];
      if (vx < 0 || vy < 0 || vx >= width || vy >= height) continue;
      const v = vy * width + vx;
      if (blocked[v] !== 0 || closed[v] !== 0) continue;
      if (d >= 4 && (blocked[uy * width + vx] !== 0 || blocked[vy * width + ux] !== 0)) continue;
      const gv = gu + NEIGHBOUR_LEN[d] * 0.5 * (tu + terrain[v]);
      if (gv < g[v]) {
        g[v] = gv;
        parent[v] = u;
        const hv = h(v);
        open.set(v, gv + hv, hv);
      }
    }
  }
  if (g[goal] === Infinity) return none('no path: the goal is cut off from the start by blocked cells', expansions);
  let len = 1;
  for (let c = goal; c !== start; c = parent[c]) len++;
  const cells = new Int32Array(len);
  for (let c = goal, i = len - 1; i >= 0; c = parent[c], i--) cells[i] = c;
  return { found: true, cells, cost: g[goal], expansions, reason: 'found' };
}
