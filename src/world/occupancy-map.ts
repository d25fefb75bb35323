import { type CostMap, createCostMap, inflateObstacles } from '../planning/grid/cost-map.js';

/** Log-odds sensor model of an occupancy map. */
export interface OccupancyOptions {
  width: number;
  height: number;
  /** Metres per cell. */
  resolution?: number;
  originX?: number;
  originY?: number;
  /** Added to a cell's log-odds for each hit (default 0.85: ~70 % per hit). */
  hit?: number;
  /** Added for each ray that passes through (default -0.4). */
  miss?: number;
  /** Clamp, so a cell seen often can still change its mind quickly (default -2 .. 3.5). */
  min?: number;
  max?: number;
  /** Probability above which a cell is an obstacle for planning (default 0.75: two hits with the default `hit`). */
  occupiedAbove?: number;
}

/** A range reading: the sensor at (x, y), a beam hitting (or, if `hit` is false, reaching max range at) (hx, hy). */
export interface RangeRay {
  readonly x: number;
  readonly y: number;
  readonly hx: number;
  readonly hy: number;
  /** False when the beam saw nothing up to its end point (max range): no hit there. Default true. */
  readonly hit?: boolean;
}

/**
 * An occupancy grid fed by range sensing. Each cell holds the log-odds that it is occupied:
 * every hit adds `hit` (confidence firms up with repeated hits), every beam that passes
 * through adds `miss` (a wrong or moved obstacle fades away). Clamping keeps cells
 * responsive. The world model of a navigator turns it into the planner's cost map.
 */
export class OccupancyMap {
  readonly width: number;
  readonly height: number;
  readonly resolution: number;
  readonly originX: number;
  readonly originY: number;
  /** Log-odds per cell, 0 = unknown (p = 0.5). */
  readonly logOdds: Float32Array;
  private readonly hit: number;
  private readonly miss: number;
  private readonly min: number;
  private readonly max: number;
  private readonly threshold: number;

  constructor(options: OccupancyOptions) {
    if (!Number.isInteger(options.width) || !Number.isInteger(options.height) || options.width <= 0 || options.height <= 0) {
      throw new Error(`OccupancyMap: width and height must be positive integers, got ${options.width} x ${options.height}`);
    }
    this.width = options.width;
    this.height = options.height;
    this.resolution = options.resolution ?? 1;
    this.originX = options.originX ?? 0;
    this.originY = options.originY ?? 0;
    this.hit = options.hit ?? 0.85;
    this.miss = options.miss ?? -0.4;
    this.min = options.min ?? -2;
    this.max = options.max ?? 3.5;
    const p = options.occupiedAbove ?? 0.75;
    this.threshold = Math.log(p / (1 - p));
    this.logOdds = new Float32Array(this.width * this.height);
  }

  /** Cell index of a world point, -1 outside the map. */
  cellAt(x: number, y: number): number {
    const cx = Math.floor((x - this.originX) / this.resolution);
    const cy = Math.floor((y - this.originY) / this.resolution);
    if (cx < 0 || cy < 0 || cx >= this.width || cy >= this.height) return -1;
    return cy * this.width + cx;
  }

  /** Probability that `cell` is occupied. */
  probability(cell: number): number {
    return 1 / (1 + Math.exp(-this.logOdds[cell]));
  }

  /** True when `cell` counts as an obstacle for planning. */
  isOccupied(cell: number): boolean {
    return this.logOdds[cell] > this.threshold;
  }

  /**
   * Integrates one beam: cells it passes through become more likely free, the end cell
   * more likely occupied (when `hit`). Returns the cells whose obstacle status flipped,
   * which is what an incremental planner needs to hear about.
   */
  addRay(ray: RangeRay): number[] {
    const flipped: number[] = [];
    const w = this.width;
    let x0 = Math.floor((ray.x - this.originX) / this.resolution);
    let y0 = Math.floor((ray.y - this.originY) / this.resolution);
    const x1 = Math.floor((ray.hx - this.originX) / this.resolution);
    const y1 = Math.floor((ray.hy - this.originY) / this.resolution);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    // Bresenham: every cell strictly before the end cell is passed through.
    while (x0 !== x1 || y0 !== y1) {
      if (x0 >= 0 && y0 >= 0 && x0 < w && y0 < this.height) this.bump(y0 * w + x0, this.miss, flipped);
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
    if (x1 >= 0 && y1 >= 0 && x1 < w && y1 < this.height) this.bump(y1 * w + x1, ray.hit === false ? this.miss : this.hit, flipped);
    return flipped;
  }

  /** Integrates many beams; returns the cells whose obstacle status flipped (each once). */
  addRays(rays: Iterable<RangeRay>): number[] {
    const all = new Set<number>();
    for (const r of rays) for (const c of this.addRay(r)) all.has(c) ? all.delete(c) : all.add(c);
    return [...all];
  }

  /**
   * The planner's cost map: occupied cells blocked, then grown by the robot's footprint
   * (`inflateRadius` in metres). Unknown cells are free unless `unknownBlocked`.
   */
  toCostMap(options: { inflateRadius?: number; unknownBlocked?: boolean; terrain?: Float32Array } = {}): CostMap {
    const map = createCostMap({ width: this.width, height: this.height, resolution: this.resolution, originX: this.originX, originY: this.originY });
    if (options.terrain) map.terrain.set(options.terrain);
    for (let i = 0; i < this.logOdds.length; i++) {
      const l = this.logOdds[i];
      if (l > this.threshold || (options.unknownBlocked && l === 0)) map.blocked[i] = 1;
    }
    const r = (options.inflateRadius ?? 0) / this.resolution;
    return r > 0 ? inflateObstacles(map, r) : map;
  }

  /**
   * Brings a cost map made by {@link toCostMap} up to date after `flipped` cells changed
   * (what {@link addRay} returned), re-inflating only around them, and returns the cost-map
   * cells whose blocked flag changed: hand those to `DStarLite.cellsChanged`. Cheaper than
   * a full `toCostMap` + `diffCostMaps` when few cells flip. Pass the same `inflateRadius`
   * the map was made with; unknown cells are treated as free.
   */
  syncCostMap(costMap: CostMap, flipped: Iterable<number>, inflateRadius = 0): number[] {
    if (costMap.width !== this.width || costMap.height !== this.height) {
      throw new Error(`OccupancyMap.syncCostMap: cost map is ${costMap.width} x ${costMap.height}, occupancy map is ${this.width} x ${this.height}`);
    }
    const rc = inflateRadius / this.resolution;
    const r = Math.floor(rc);
    const r2 = rc * rc;
    const w = this.width;
    const h = this.height;
    const touched = new Set<number>();
    for (const f of flipped) {
      const fx = f % w;
      const fy = (f - fx) / w;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const x = fx + dx;
          const y = fy + dy;
          if (dx * dx + dy * dy <= r2 && x >= 0 && y >= 0 && x < w && y < h) touched.add(y * w + x);
        }
      }
    }
    const changed: number[] = [];
    for (const c of touched) {
      const cx = c % w;
      const cy = (c - cx) / w;
      let blocked = 0;
      for (let dy = -r; dy <= r && !blocked; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (dx * dx + dy * dy <= r2 && x >= 0 && y >= 0 && x < w && y < h && this.logOdds[y * w + x] > this.threshold) {
            blocked = 1;
            break;
          }
        }
      }
      if (costMap.blocked[c] !== blocked) {
        costMap.blocked[c] = blocked;
        changed.push(c);
      }
    }
    return changed.sort((a, b) => a - b);
  }

  private bump(cell: number, delta: number, flipped: number[]): void {
    const before = this.logOdds[cell] > this.threshold;
    const v = this.logOdds[cell] + delta;
    this.logOdds[cell] = v < this.min ? this.min : v > this.max ? this.max : v;
    if (this.logOdds[cell] > this.threshold !== before) flipped.push(cell);
  }
}

/** Cells whose blocked flag or terrain differ between two maps of the same size: the change list for D* Lite. */
export function diffCostMaps(before: CostMap, after: CostMap): number[] {
  if (before.width !== after.width || before.height !== after.height) {
    throw new Error(`diffCostMaps: maps differ in size (${before.width} x ${before.height} vs ${after.width} x ${after.height})`);
  }
  const out: number[] = [];
  for (let i = 0; i < before.blocked.length; i++) {
    if (before.blocked[i] !== after.blocked[i] || before.terrain[i] !== after.terrain[i]) out.push(i);
  }
  return out;
}
