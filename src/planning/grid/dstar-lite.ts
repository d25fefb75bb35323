import { type CellChange, type CostMap, NEIGHBOUR_DX, NEIGHBOUR_DY, NEIGHBOUR_LEN, applyCellChanges } from './cost-map.js';
import type { GridPath } from './astar.js';
import { IndexedHeap } from './indexed-heap.js';

export interface DStarLiteOptions {
  /** Stop a `plan()` call after this many expansions; the next call resumes. Default: no limit. */
  maxExpansions?: number;
  /** Checked every 1024 expansions; return true to stop (the next call resumes). */
  deadline?: () => boolean;
}

/**
 * D* Lite (Koenig & Likhachev 2002): an incremental planner for a robot that moves
 * towards a fixed goal while it discovers changes to the map. It searches backward from
 * the goal, so when cells change near the robot only the few costs-to-goal that depended
 * on them are repaired, instead of searching the whole map again. After any sequence of
 * {@link moveStart} and {@link cellsChanged} calls, {@link plan} gives a path of the same
 * cost as A* from scratch on the current map (same move costs as {@link moveCost}).
 *
 * The planner keeps a reference to `map`: change cells through {@link applyChanges}, or
 * change the map yourself and then call {@link cellsChanged} with the cells you changed.
 */
export class DStarLite {
  readonly map: CostMap;
  readonly goal: number;
  private startCell: number;
  private lastStart: number;
  private km = 0;
  private readonly gv: Float64Array;
  private readonly rhs: Float64Array;
  private readonly open: IndexedHeap;
  private sx = 0;
  private sy = 0;
  /** Expansions done by the latest `plan()` call and in total. */
  lastExpansions = 0;
  totalExpansions = 0;

  constructor(map: CostMap, start: number, goal: number) {
    const n = map.width * map.height;
    if (start < 0 || start >= n || goal < 0 || goal >= n) {
      throw new Error(`DStarLite: start ${start} or goal ${goal} is outside the ${map.width} x ${map.height} map`);
    }
    this.map = map;
    this.goal = goal;
    this.startCell = start;
    this.lastStart = start;
    this.setStartXY();
    this.gv = new Float64Array(n).fill(Infinity);
    this.rhs = new Float64Array(n).fill(Infinity);
    this.open = new IndexedHeap(n, 4096);
    this.rhs[goal] = 0;
    this.open.set(goal, this.h(goal), 0);
  }

  get start(): number {
    return this.startCell;
  }

  /** Current cost-to-goal estimate of a cell (Infinity when unknown or unreachable). */
  costToGoal(cell: number): number {
    return Math.min(this.gv[cell], this.rhs[cell]);
  }

  /** The robot moved to `cell` (usually the next cell of the path). Keeps all earlier work. */
  moveStart(cell: number): void {
    if (cell === this.startCell) return;
    this.startCell = cell;
    this.setStartXY();
    this.km += this.hBetween(this.lastStart, cell);
    this.lastStart = cell;
  }

  /** Writes sensed changes into the map and repairs what they affect. Returns the cells that really changed. */
  applyChanges(changes: readonly CellChange[]): number[] {
    const changed = applyCellChanges(this.map, changes);
    this.cellsChanged(changed);
    return changed;
  }

  /**
   * Tells the planner that these cells' terrain or blocked flag changed. Every move whose
   * cost depends on a changed cell has both ends in the cell's 3 x 3 block (diagonals
   * check their corner cells), so those cells' one-step lookahead values are recomputed.
   */
  cellsChanged(cells: Iterable<number>): void {
    const { width, height } = this.map;
    for (const c of cells) {
      const cx = c % width;
      const cy = (c - cx) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          const u = y * width + x;
          if (u !== this.goal) this.rhs[u] = this.bestSucc(u);
          this.updateVertex(u);
        }
      }
    }
  }

  /** Computes (or repairs) the shortest path from the current start to the goal. */
  plan(options: DStarLiteOptions = {}): GridPath {
    const expansions = this.computeShortestPath(options.maxExpansions ?? Infinity, options.deadline);
    this.lastExpansions = expansions.count;
    this.totalExpansions += expansions.count;
    const none = (reason: string): GridPath => ({ found: false, cells: new Int32Array(0), cost: Infinity, expansions: expansions.count, reason });
    if (expansions.stopped) return none(expansions.stopped);
    if (this.map.blocked[this.startCell] !== 0) return none(`start cell ${this.startCell} is blocked`);
    if (this.rhs[this.startCell] === Infinity) return none('no path: the goal is cut off from the start by blocked cells');
    const path = this.extractPath();
    if (path.cost === Infinity) return none('no path: the cost-to-goal field has no descent from the start (report this as a bug)');
    return { found: true, ...path, expansions: expansions.count, reason: 'found' };
  }

  private setStartXY(): void {
    this.sx = this.startCell % this.map.width;
    this.sy = (this.startCell - this.sx) / this.map.width;
  }

  /** Octile distance from the current start. */
  private h(c: number): number {
    const cx = c % this.map.width;
    const dx = Math.abs(cx - this.sx);
    const dy = Math.abs((c - cx) / this.map.width - this.sy);
    return dx > dy ? dx - dy + Math.SQRT2 * dy : dy - dx + Math.SQRT2 * dx;
  }

  private hBetween(a: number, b: number): number {
    const w = this.map.width;
    const dx = Math.abs((a % w) - (b % w));
    const dy = Math.abs(Math.floor(a / w) - Math.floor(b / w));
    return dx > dy ? dx - dy + Math.SQRT2 * dy : dy - dx + Math.SQRT2 * dx;
  }

  private updateVertex(u: number): void {
    const g = this.gv[u];
    const r = this.rhs[u];
    if (g !== r) {
      const m = g < r ? g : r;
      this.open.set(u, m + this.h(u) + this.km, m);
    } else {
      this.open.remove(u);
    }
  }

  /** min over neighbours v of cost(u, v) + g(v): the one-step lookahead value of u. */
  private bestSucc(u: number): number {
    const { width, height, blocked, terrain } = this.map;
    if (blocked[u] !== 0) return Infinity;
    const ux = u % width;
    const uy = (u - ux) / width;
    const tu = terrain[u];
    let best = Infinity;
    for (let d = 0; d < 8; d++) {
      const vx = ux + NEIGHBOUR_DX[d];
      const vy = uy + NEIGHBOUR_DY[d];
      if (vx < 0 || vy < 0 || vx >= width || vy >= height) continue;
      const v = vy * width + vx;
      const gv = this.gv[v];
      if (gv === Infinity || blocked[v] !== 0) continue;
      if (d >= 4 && (blocked[uy * width + vx] !== 0 || blocked[vy * width + ux] !== 0)) continue;
      const c = gv + NEIGHBOUR_LEN[d] * 0.5 * (tu + terrain[v]);
      if (c < best) best = c;
    }
    return best;
  }

  private computeShortestPath(maxExpansions: number, deadline?: () => boolean): { count: number; stopped?: string } {
    const { width, height, blocked, terrain } = this.map;
    const open = this.open;
    const gArr = this.gv;
    const rhs = this.rhs;
    const s = this.startCell;
    let count = 0;
    while (open.size > 0) {
      const sg = gArr[s];
      const sr = rhs[s];
      const sm = sg < sr ? sg : sr;
      const sk1 = sm + this.km; // h(start, start) = 0
      const tk1 = open.peekK1();
      const tk2 = open.peekK2();
      // Keys within rounding noise of the start's count as ties, and the start itself must
      // be consistent: sums of the same costs taken in another order differ in the last
      // bits, and stopping on such a near-tie would leave a stale cost-to-goal on the path
      // (expanding a few more cells is harmless).
      const eps = sk1 === Infinity ? 0 : 1e-9 * (sk1 > 1 ? sk1 : 1);
      if (!(tk1 < sk1 - eps || (tk1 <= sk1 + eps && tk2 < sm)) && sr === sg) break;
      if (count >= maxExpansions) return { count, stopped: `budget of ${maxExpansions} expansions ran out; call plan() again to resume` };
      if (deadline && (count & 1023) === 1023 && deadline()) return { count, stopped: 'deadline passed; call plan() again to resume' };
      count++;
      const u = open.peek();
      const gu = gArr[u];
      const ru = rhs[u];
      const mu = gu < ru ? gu : ru;
      const nk1 = mu + this.h(u) + this.km;
      if (tk1 < nk1 || (tk1 === nk1 && tk2 < mu)) {
        open.set(u, nk1, mu);
        continue;
      }
      const ux = u % width;
      const uy = (u - ux) / width;
      if (gu > ru) {
        // Over-consistent: settle u and offer it to its neighbours.
        gArr[u] = ru;
        open.remove(u);
        if (blocked[u] !== 0) continue;
        const tu = terrain[u];
        for (let d = 0; d < 8; d++) {
          const vx = ux + NEIGHBOUR_DX[d];
          const vy = uy + NEIGHBOUR_DY[d];
          if (vx < 0 || vy < 0 || vx >= width || vy >= height) continue;
          const v = vy * width + vx;
          if (blocked[v] !== 0 || v === this.goal) continue;
          if (d >= 4 && (blocked[uy * width + vx] !== 0 || blocked[vy * width + ux] !== 0)) continue;
          const c = ru + NEIGHBOUR_LEN[d] * 0.5 * (tu + terrain[v]);
          if (c < rhs[v]) {
            rhs[v] = c;
            this.updateVertex(v);
          }
        }
      } else {
        // Under-consistent: u got dearer; everything that may have leaned on it looks again.
        gArr[u] = Infinity;
        if (u !== this.goal) rhs[u] = this.bestSucc(u);
        this.updateVertex(u);
        for (let d = 0; d < 8; d++) {
          const vx = ux + NEIGHBOUR_DX[d];
          const vy = uy + NEIGHBOUR_DY[d];
          if (vx < 0 || vy < 0 || vx >= width || vy >= height) continue;
          const v = vy * width + vx;
          if (v === this.goal) continue;
          rhs[v] = this.bestSucc(v);
          this.updateVertex(v);
        }
      }
    }
    return { count };
  }

  private extractPath(): { cells: Int32Array; cost: number } {
    const { width, height, blocked, terrain } = this.map;
    const gArr = this.gv;
    const out: number[] = [this.startCell];
    let cost = 0;
    let u = this.startCell;
    const limit = width * height;
    while (u !== this.goal && out.length <= limit) {
      const ux = u % width;
      const uy = (u - ux) / width;
      const tu = terrain[u];
      let best = Infinity;
      let bestStep = 0;
      let next = -1;
      for (let d = 0; d < 8; d++) {
        const vx = ux + NEIGHBOUR_DX[d];
        const vy = uy + NEIGHBOUR_DY[d];
        if (vx < 0 || vy < 0 || vx >= width || vy >= height) continue;
        const v = vy * width + vx;
        if (blocked[v] !== 0) continue;
        if (d >= 4 && (blocked[uy * width + vx] !== 0 || blocked[vy * width + ux] !== 0)) continue;
        const step = NEIGHBOUR_LEN[d] * 0.5 * (tu + terrain[v]);
        const c = step + gArr[v];
        if (c < best) {
          best = c;
          bestStep = step;
          next = v;
        }
      }
      if (next < 0 || best === Infinity) break;
      cost += bestStep;
      out.push(next);
      u = next;
    }
    if (u !== this.goal) return { cells: new Int32Array(0), cost: Infinity };
    return { cells: Int32Array.from(out), cost };
  }
}
