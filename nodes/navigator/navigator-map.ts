import { type CostMap, cellToWorld, createCostMap, inflateObstacles } from '../../src/planning/grid/cost-map.js';
import { OccupancyMap, type RangeRay } from '../../src/world/occupancy-map.js';
import type { XY } from '../rover/contracts.js';
import { type KnownMap, costMapOf } from './known-map.js';

/** A range scan in world coordinates, as the pilot senses it. */
export interface WorldScan {
  readonly x: number;
  readonly y: number;
  readonly rays: ReadonlyArray<readonly [number, number, boolean]>;
}

/**
 * The navigator's world model: the known map plus an occupancy grid fed by the pilot's
 * scans. Two cost maps: `sensed` (occupancy only, inflated) is kept in step by
 * `OccupancyMap.syncCostMap`; `cost` = sensed ∪ the known map's static blocks, the map
 * the planners use. Only cells that really changed in `cost` are reported, which is
 * what D* Lite needs.
 */
export class NavigatorMap {
  readonly occupancy: OccupancyMap;
  readonly cost: CostMap;
  private readonly sensed: CostMap;
  /** Cells that turned blocked in `cost` since the start, for "discovered" obstacles. */
  private readonly found = new Set<number>();

  constructor(
    readonly known: KnownMap,
    private readonly inflateM: number,
    /** Hits are moved this far along the beam, into the obstacle, so noise at a face does not mark the free cell in front. */
    private readonly hitExtendM = 0.1,
  ) {
    this.occupancy = new OccupancyMap({ width: known.width, height: known.height, resolution: known.resolution });
    this.cost = costMapOf(known);
    this.sensed = createCostMap({ width: known.width, height: known.height, resolution: known.resolution });
  }

  /** Integrates a scan; returns the cells of `cost` whose blocked flag changed. */
  addScan(scan: WorldScan): number[] {
    const rays: RangeRay[] = scan.rays.map(([hx, hy, hit]) => {
      if (!hit) return { x: scan.x, y: scan.y, hx, hy, hit };
      const d = Math.hypot(hx - scan.x, hy - scan.y);
      const k = d > 0 ? (d + this.hitExtendM) / d : 1;
      const ex = scan.x + (hx - scan.x) * k;
      const ey = scan.y + (hy - scan.y) * k;
      if (!this.nearKnown(ex, ey)) return { x: scan.x, y: scan.y, hx: ex, hy: ey, hit };
      // A hit the known map explains (pose error smears it next to a known rock or wall):
      // keep the free space the beam crossed, stopping a cell short, but mark nothing.
      const s = d > 0 ? Math.max(0, d - this.known.resolution) / d : 0;
      return { x: scan.x, y: scan.y, hx: scan.x + (hx - scan.x) * s, hy: scan.y + (hy - scan.y) * s, hit: false };
    });
    const flipped = this.occupancy.addRays(rays);
    for (const f of flipped) {
      if (this.occupancy.isOccupied(f) && this.known.known[f] === 0) this.found.add(f);
      else this.found.delete(f);
    }
    const changedSensed = this.occupancy.syncCostMap(this.sensed, flipped, this.inflateM);
    const changed: number[] = [];
    for (const c of changedSensed) {
      const b = this.sensed.blocked[c] | this.known.staticBlocked[c];
      if (this.cost.blocked[c] !== b) {
        this.cost.blocked[c] = b;
        changed.push(c);
      }
    }
    return changed;
  }

  /** Obstacles without their safety margin (known, sensed, cliffs, soft ground): the map for escaping a tight spot. */
  coreCostMap(marginM = 0): CostMap {
    const c = createCostMap({ width: this.known.width, height: this.known.height, resolution: this.known.resolution });
    c.terrain.set(this.known.terrain);
    for (let i = 0; i < c.blocked.length; i++) c.blocked[i] = this.known.coreBlocked[i] | (this.occupancy.isOccupied(i) ? 1 : 0);
    return marginM > 0 ? inflateObstacles(c, marginM / this.known.resolution) : c;
  }

  /** True when (x, y) is in or next to an obstacle known at start (or off the map). */
  private nearKnown(x: number, y: number): boolean {
    const { width, height, resolution, known } = this.known;
    const cx = Math.floor(x / resolution);
    const cy = Math.floor(y / resolution);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = cx + dx;
        const ny = cy + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height || known[ny * width + nx]) return true;
      }
    }
    return false;
  }

  /** Obstacle cells found by sensing that were not on the map at start, as cell centres (m). */
  discovered(): XY[] {
    return [...this.found].sort((a, b) => a - b).map((c) => {
      const p = cellToWorld(this.cost, c);
      return [p.x, p.y];
    });
  }

  get discoveredCount(): number {
    return this.found.size;
  }
}
