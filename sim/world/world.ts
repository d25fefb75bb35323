/** A 2D pose in the world frame: x east, y north (m), heading `theta` from +x, counter-clockwise (rad). */
export interface Pose {
  x: number;
  y: number;
  theta: number;
}

/** A named science target; the rover samples it by stopping within `radius` of (x, y). */
export interface Target {
  name: string;
  x: number;
  y: number;
}

/** The base with its charger: the rover is `at_base` within `radius` of the centre. */
export interface Base {
  x: number;
  y: number;
  radius: number;
}

/** Obstacle codes in {@link World.obstacle}: none, on the rover's map at start, or only in the true world. */
export const NO_OBSTACLE = 0;
export const KNOWN_OBSTACLE = 1;
export const UNKNOWN_OBSTACLE = 2;

/** Everything a {@link World} is made of; the arrays are row-major with row 0 at the south edge (y = 0). */
export interface WorldInit {
  name: string;
  /** Cells along x and along y. */
  width: number;
  height: number;
  /** Side of a square cell (m). */
  cellSize: number;
  obstacle: Uint8Array;
  soft: Uint8Array;
  cliff: Uint8Array;
  /** Slope of each cell (degrees). */
  slope: Float32Array;
  targets: Target[];
  base: Base;
  start: Pose;
}

/**
 * The true world the simulator runs in, on a grid. Obstacles are either known to the
 * rover at start (its initial map: {@link World.knownObstacles}) or unknown (only its
 * sensors can find them). Terrain (soft ground, slopes, cliffs) is assumed known from
 * orbit, so only obstacles differ between the true and the known map. Outside the grid
 * counts as an obstacle, so the rover can never leave the map.
 */
export class World {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly cellSize: number;
  readonly obstacle: Uint8Array;
  readonly soft: Uint8Array;
  readonly cliff: Uint8Array;
  readonly slope: Float32Array;
  readonly targets: readonly Target[];
  readonly base: Base;
  readonly start: Pose;
  /** Size of the map (m). */
  readonly widthM: number;
  readonly heightM: number;

  constructor(init: WorldInit) {
    const n = init.width * init.height;
    for (const key of ['obstacle', 'soft', 'cliff', 'slope'] as const) {
      if (init[key].length !== n) {
        throw new Error(`World "${init.name}": ${key} has ${init[key].length} cells, expected width*height = ${n}`);
      }
    }
    this.name = init.name;
    this.width = init.width;
    this.height = init.height;
    this.cellSize = init.cellSize;
    this.obstacle = init.obstacle;
    this.soft = init.soft;
    this.cliff = init.cliff;
    this.slope = init.slope;
    this.targets = init.targets.map((t) => ({ ...t }));
    this.base = { ...init.base };
    this.start = { ...init.start };
    this.widthM = init.width * init.cellSize;
    this.heightM = init.height * init.cellSize;
  }

  /** Index of cell (cx, cy) in the arrays; call only for cells {@link inBounds}. */
  index(cx: number, cy: number): number {
    return cy * this.width + cx;
  }

  inBounds(cx: number, cy: number): boolean {
    return cx >= 0 && cy >= 0 && cx < this.width && cy < this.height;
  }

  /** Cell column/row of a coordinate (m). */
  cellOf(m: number): number {
    return Math.floor(m / this.cellSize);
  }

  /** Centre of a cell (m). */
  cellCenter(cx: number, cy: number): { x: number; y: number } {
    return { x: (cx + 0.5) * this.cellSize, y: (cy + 0.5) * this.cellSize };
  }

  /** True if the cell holds an obstacle (known or not) or lies outside the map. */
  isBlocked(cx: number, cy: number): boolean {
    return !this.inBounds(cx, cy) || this.obstacle[cy * this.width + cx] !== NO_OBSTACLE;
  }

  /** True if the cell is outside the map or holds an obstacle the rover knows at start. */
  isKnownBlocked(cx: number, cy: number): boolean {
    return !this.inBounds(cx, cy) || this.obstacle[cy * this.width + cx] === KNOWN_OBSTACLE;
  }

  isBlockedAt(x: number, y: number): boolean {
    return this.isBlocked(this.cellOf(x), this.cellOf(y));
  }

  cliffAt(x: number, y: number): boolean {
    const cx = this.cellOf(x);
    const cy = this.cellOf(y);
    return this.inBounds(cx, cy) && this.cliff[cy * this.width + cx] !== 0;
  }

  softAt(x: number, y: number): boolean {
    const cx = this.cellOf(x);
    const cy = this.cellOf(y);
    return this.inBounds(cx, cy) && this.soft[cy * this.width + cx] !== 0;
  }

  slopeAt(x: number, y: number): number {
    const cx = this.cellOf(x);
    const cy = this.cellOf(y);
    return this.inBounds(cx, cy) ? this.slope[cy * this.width + cx] : 0;
  }

  /** The rover's initial map: 1 where an obstacle is known at start, else 0. A fresh copy. */
  knownObstacles(): Uint8Array {
    const out = new Uint8Array(this.obstacle.length);
    for (let i = 0; i < out.length; i++) out[i] = this.obstacle[i] === KNOWN_OBSTACLE ? 1 : 0;
    return out;
  }

  /** The true map: 1 where any obstacle is, else 0. A fresh copy. */
  trueObstacles(): Uint8Array {
    const out = new Uint8Array(this.obstacle.length);
    for (let i = 0; i < out.length; i++) out[i] = this.obstacle[i] !== NO_OBSTACLE ? 1 : 0;
    return out;
  }

  /** Indices of the obstacle cells unknown to the rover at start. */
  unknownObstacleCells(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.obstacle.length; i++) if (this.obstacle[i] === UNKNOWN_OBSTACLE) out.push(i);
    return out;
  }

  /** A copy with some fields replaced (arrays are copied, so the copy can be changed freely). */
  with(changes: Partial<WorldInit>): World {
    return new World({
      name: this.name,
      width: this.width,
      height: this.height,
      cellSize: this.cellSize,
      obstacle: new Uint8Array(this.obstacle),
      soft: new Uint8Array(this.soft),
      cliff: new Uint8Array(this.cliff),
      slope: new Float32Array(this.slope),
      targets: this.targets.map((t) => ({ ...t })),
      base: { ...this.base },
      start: { ...this.start },
      ...changes,
    });
  }
}
