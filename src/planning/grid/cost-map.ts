/**
 * A grid cost map for path planning: one cell per array slot, row-major (`cell = y * width + x`).
 * Typed arrays, not objects, so a 1000 x 1000 map is two flat buffers the planners can
 * scan without allocating.
 *
 * Costs: moving between two free neighbouring cells costs the step length (1 straight,
 * √2 diagonal) times the mean of the two cells' terrain factors. Terrain factors are at
 * least 1, so the octile distance is an admissible heuristic. The cost is symmetric, which
 * the backward search of D* Lite relies on.
 */
export interface CostMap {
  readonly width: number;
  readonly height: number;
  /** Metres per cell (for converting to and from world coordinates). */
  readonly resolution: number;
  /** World coordinates (metres) of the corner of cell 0. */
  readonly originX: number;
  readonly originY: number;
  /** Terrain factor per cell, >= 1 (1 = easiest ground). */
  readonly terrain: Float32Array;
  /** 1 where the cell cannot be entered (obstacle or inflated obstacle), else 0. */
  readonly blocked: Uint8Array;
}

export interface CostMapOptions {
  width: number;
  height: number;
  resolution?: number;
  originX?: number;
  originY?: number;
  /** Terrain factor for every cell (default 1). */
  terrain?: number;
}

/** A change to one cell, as sensed: new terrain factor and/or obstacle flag. */
export interface CellChange {
  readonly cell: number;
  readonly terrain?: number;
  readonly blocked?: boolean;
}

/** Makes an all-free cost map. */
export function createCostMap(options: CostMapOptions): CostMap {
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`createCostMap: width and height must be positive integers, got ${width} x ${height}`);
  }
  const terrain = new Float32Array(width * height);
  terrain.fill(Math.max(1, options.terrain ?? 1));
  return {
    width,
    height,
    resolution: options.resolution ?? 1,
    originX: options.originX ?? 0,
    originY: options.originY ?? 0,
    terrain,
    blocked: new Uint8Array(width * height),
  };
}

/** A deep copy (planners may mutate the map they own). */
export function cloneCostMap(map: CostMap): CostMap {
  return { ...map, terrain: map.terrain.slice(), blocked: map.blocked.slice() };
}

/** Cell index of (x, y) in cells; -1 when outside the map. */
export function cellIndex(map: Pick<CostMap, 'width' | 'height'>, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= map.width || y >= map.height) return -1;
  return y * map.width + x;
}

/** Cell containing world point (wx, wy) in metres; -1 when outside the map. */
export function worldToCell(map: CostMap, wx: number, wy: number): number {
  return cellIndex(map, Math.floor((wx - map.originX) / map.resolution), Math.floor((wy - map.originY) / map.resolution));
}

/** World coordinates (metres) of the centre of `cell`. */
export function cellToWorld(map: CostMap, cell: number): { x: number; y: number } {
  const cx = cell % map.width;
  const cy = (cell - cx) / map.width;
  return { x: map.originX + (cx + 0.5) * map.resolution, y: map.originY + (cy + 0.5) * map.resolution };
}

/**
 * Applies sensed changes to the map in place. Returns the cells whose cost really changed,
 * the list an incremental planner needs.
 */
export function applyCellChanges(map: CostMap, changes: readonly CellChange[]): number[] {
  const changed: number[] = [];
  for (const ch of changes) {
    if (ch.cell < 0 || ch.cell >= map.blocked.length) {
      throw new Error(`applyCellChanges: cell ${ch.cell} is outside the ${map.width} x ${map.height} map`);
    }
    let dirty = false;
    if (ch.terrain !== undefined) {
      const t = Math.fround(Math.max(1, ch.terrain));
      if (map.terrain[ch.cell] !== t) {
        map.terrain[ch.cell] = t;
        dirty = true;
      }
    }
    if (ch.blocked !== undefined) {
      const b = ch.blocked ? 1 : 0;
      if (map.blocked[ch.cell] !== b) {
        map.blocked[ch.cell] = b;
        dirty = true;
      }
    }
    if (dirty) changed.push(ch.cell);
  }
  return changed;
}

/**
 * Grows obstacles by the robot's footprint: every cell whose centre lies within
 * `radiusCells` of an obstacle cell's centre becomes blocked, so a path for the robot's
 * centre keeps its body clear. Returns a new map; `map` is left as it is.
 */
export function inflateObstacles(map: CostMap, radiusCells: number): CostMap {
  const out = cloneCostMap(map);
  if (radiusCells <= 0) return out;
  const { width, height } = map;
  const r = Math.floor(radiusCells);
  const r2 = radiusCells * radiusCells;
  // Disc offsets once, then stamp them around each obstacle.
  const offsets: number[] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r2) offsets.push(dx, dy);
  const src = map.blocked;
  const dst = out.blocked;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (src[y * width + x] === 0) continue;
      for (let k = 0; k < offsets.length; k += 2) {
        const nx = x + offsets[k];
        const ny = y + offsets[k + 1];
        if (nx >= 0 && ny >= 0 && nx < width && ny < height) dst[ny * width + nx] = 1;
      }
    }
  }
  return out;
}

/** Octile distance between two cells, in cell units (admissible for terrain factors >= 1). */
export function octile(width: number, a: number, b: number): number {
  const ax = a % width;
  const bx = b % width;
  const dx = Math.abs(ax - bx);
  const dy = Math.abs((a - ax) / width - (b - bx) / width);
  return dx > dy ? dx - dy + Math.SQRT2 * dy : dy - dx + Math.SQRT2 * dx;
}

/** Neighbour offsets of the 8-connected grid: straight moves first, then diagonals. */
export const NEIGHBOUR_DX = Int8Array.of(1, -1, 0, 0, 1, 1, -1, -1);
export const NEIGHBOUR_DY = Int8Array.of(0, 0, 1, -1, 1, -1, 1, -1);
export const NEIGHBOUR_LEN = Float64Array.of(1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2);

/**
 * Cost of the move from `a` to its neighbour in direction `dir` (an index into the
 * NEIGHBOUR_* tables), or Infinity when the move is not allowed: either cell blocked, off
 * the map, or a diagonal that would cut the corner of a blocked cell. Planners inline the
 * same rule in their hot loops; this is the reference they are tested against.
 */
export function moveCost(map: CostMap, a: number, dir: number): number {
  const { width, height, blocked, terrain } = map;
  const ax = a % width;
  const ay = (a - ax) / width;
  const bx = ax + NEIGHBOUR_DX[dir];
  const by = ay + NEIGHBOUR_DY[dir];
  if (bx < 0 || by < 0 || bx >= width || by >= height) return Infinity;
  const b = by * width + bx;
  if (blocked[a] !== 0 || blocked[b] !== 0) return Infinity;
  if (dir >= 4 && (blocked[ay * width + bx] !== 0 || blocked[by * width + ax] !== 0)) return Infinity;
  return NEIGHBOUR_LEN[dir] * 0.5 * (terrain[a] + terrain[b]);
}

/** Sum of move costs along a path of neighbouring cells; Infinity if any move is not allowed. */
export function pathCost(map: CostMap, path: ArrayLike<number>): number {
  let total = 0;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1];
    const b = path[i];
    const dx = (b % map.width) - (a % map.width);
    const dy = Math.floor(b / map.width) - Math.floor(a / map.width);
    let dir = -1;
    for (let d = 0; d < 8; d++) if (NEIGHBOUR_DX[d] === dx && NEIGHBOUR_DY[d] === dy) dir = d;
    if (dir < 0) return Infinity;
    total += moveCost(map, a, dir);
  }
  return total;
}
