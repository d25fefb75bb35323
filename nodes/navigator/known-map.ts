import { z } from 'zod';
import { type CostMap, cellIndex, createCostMap, inflateObstacles } from '../../src/planning/grid/cost-map.js';
import type { World } from '../../sim/world/world.js';

/** How the rover's map at start becomes a cost map for the planners. */
export const knownMapParamsSchema = z
  .object({
    /** Obstacles are grown by this much (m): the rover's radius plus a margin. */
    inflate_m: z.number().min(0).default(0.75),
    /** Cliffs are grown further: the rover's cliff sensor stops it well before the edge. */
    cliff_inflate_m: z.number().min(0).default(0.75),
    /** Soft ground makes the reflex layer stop, so it is planned around. */
    soft_blocked: z.boolean().default(true),
    /** Extra terrain cost within `clear_m` of a known obstacle or cliff, so paths keep clear of them where there is room. */
    clear_m: z.number().min(0).default(1.25),
    clear_cost: z.number().min(0).default(1),
    /** Terrain factor per degree of slope (1 + slope_cost * deg). */
    slope_cost: z.number().min(0).default(0.1),
  })
  .strict();
export type KnownMapParams = z.output<typeof knownMapParamsSchema>;

/** The map a deliberative level starts from: what is known before any sensing. */
export interface KnownMap {
  readonly width: number;
  readonly height: number;
  readonly resolution: number;
  /** 1 where an obstacle is known at start (not inflated). */
  readonly known: Uint8Array;
  /** 1 where planning must never go: inflated known obstacles and cliffs, soft ground. */
  readonly staticBlocked: Uint8Array;
  /** The same without the obstacles' safety margin: for escaping a tight spot the margin closed around the rover. */
  readonly coreBlocked: Uint8Array;
  readonly terrain: Float32Array;
}

/**
 * From a scenario's world, only what the rover knows at start: known obstacles, cliffs,
 * soft ground and slopes (from orbit). The unknown rocks are never read.
 */
export function knownMapFromWorld(world: World, params: KnownMapParams): KnownMap {
  const { width, height } = world;
  const res = world.cellSize;
  const known = world.knownObstacles();
  const grown = (mask: Uint8Array, radiusM: number): Uint8Array => {
    const m = createCostMap({ width, height, resolution: res });
    m.blocked.set(mask);
    return inflateObstacles(m, radiusM / res).blocked;
  };
  const staticBlocked = grown(known, params.inflate_m);
  const cliffs = grown(world.cliff, params.cliff_inflate_m);
  const terrain = new Float32Array(width * height);
  const coreBlocked = new Uint8Array(known);
  const hazards = new Uint8Array(known);
  for (let i = 0; i < hazards.length; i++) if (world.cliff[i]) hazards[i] = 1;
  const near = params.clear_cost > 0 ? grown(hazards, params.clear_m) : undefined;
  for (let i = 0; i < staticBlocked.length; i++) {
    if (cliffs[i] || (params.soft_blocked && world.soft[i])) staticBlocked[i] = coreBlocked[i] = 1;
    terrain[i] = 1 + params.slope_cost * Math.abs(world.slope[i]) + (near?.[i] ? params.clear_cost : 0);
  }
  return { width, height, resolution: res, known, staticBlocked, coreBlocked, terrain };
}

/** An empty map (no scenario): all free, for tests and open ground. */
export function emptyKnownMap(width: number, height: number, resolution: number): KnownMap {
  const n = width * height;
  return { width, height, resolution, known: new Uint8Array(n), staticBlocked: new Uint8Array(n), coreBlocked: new Uint8Array(n), terrain: new Float32Array(n).fill(1) };
}

/** A fresh cost map of the known map (planners own and change theirs). */
export function costMapOf(map: KnownMap): CostMap {
  const c = createCostMap({ width: map.width, height: map.height, resolution: map.resolution });
  c.blocked.set(map.staticBlocked);
  c.terrain.set(map.terrain);
  return c;
}

/**
 * The free cell nearest to `cell` within `maxRings` rings (itself first), or -1. Used
 * when the rover or a goal sits inside an inflated margin: plan from the nearest cell
 * the planner may use.
 */
export function nearestFreeCell(map: CostMap, cell: number, maxRings: number): number {
  if (cell < 0) return -1;
  if (map.blocked[cell] === 0) return cell;
  const cx = cell % map.width;
  const cy = (cell - cx) / map.width;
  for (let r = 1; r <= maxRings; r++) {
    let best = -1;
    let bestD = Infinity;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        const c = cellIndex(map, cx + dx, cy + dy);
        const d = dx * dx + dy * dy;
        if (c >= 0 && map.blocked[c] === 0 && d < bestD) {
          best = c;
          bestD = d;
        }
      }
    }
    if (best >= 0) return best;
  }
  return -1;
}
