import type { Random } from '../../src/time/random.js';
import { unreachablePlaces } from './reachability.js';
import { NO_OBSTACLE, UNKNOWN_OBSTACLE, type World } from './world.js';

/** How unknown rocks are scattered. */
export interface RockPlacementOptions {
  /** No rock within this distance (m) of the start, the base centre or a target. Default 1.2. */
  clearanceM?: number;
  /** Free cells kept between a new rock and any other obstacle, so passages stay wide enough to plan through. Default 2. */
  minGapCells?: number;
  /** Candidate draws per rock before giving up. Default 50. */
  attemptsPerRock?: number;
}

/** The result: a new world (the input is not changed) and the cells that got a rock. */
export interface RockPlacement {
  world: World;
  /** Cell indices (cy * width + cx) of the placed rocks, in placement order. */
  cells: number[];
}

/**
 * Scatters up to `count` one-cell rocks unknown to the rover, drawn from `random` (the
 * same seed gives the same rocks). Never on or near the start, base or targets, and never
 * one that would make a target or the base unreachable from the start (checked with a
 * breadth-first search after each rock). Fewer than `count` are placed if the map is too
 * crowded; compare `cells.length`.
 */
export function placeUnknownRocks(world: World, count: number, random: Random, options: RockPlacementOptions = {}): RockPlacement {
  const clearance = options.clearanceM ?? 1.2;
  const gap = options.minGapCells ?? 2;
  const attempts = options.attemptsPerRock ?? 50;
  const out = world.with({});
  const cells: number[] = [];
  if (count <= 0) return { world: out, cells };
  const keep = [world.start, world.base, ...world.targets];
  const { width, height } = world;

  const candidate = (cx: number, cy: number): boolean => {
    const i = cy * width + cx;
    if (out.obstacle[i] !== NO_OBSTACLE || out.cliff[i] !== 0) return false;
    const c = out.cellCenter(cx, cy);
    for (const p of keep) {
      const extra = p === world.base ? world.base.radius : 0;
      if (Math.hypot(c.x - p.x, c.y - p.y) < clearance + extra) return false;
    }
    for (let dy = -gap; dy <= gap; dy++) {
      for (let dx = -gap; dx <= gap; dx++) {
        const nx = cx + dx;
        const ny = cy + dy;
        if (!out.inBounds(nx, ny)) return false;
        if (out.obstacle[ny * width + nx] !== NO_OBSTACLE) return false;
      }
    }
    return true;
  };

  for (let k = 0; k < count; k++) {
    for (let a = 0; a < attempts; a++) {
      const cx = random.int(0, width - 1);
      const cy = random.int(0, height - 1);
      if (!candidate(cx, cy)) continue;
      const i = cy * width + cx;
      out.obstacle[i] = UNKNOWN_OBSTACLE;
      if (unreachablePlaces(out).length > 0) {
        out.obstacle[i] = NO_OBSTACLE;
        continue;
      }
      cells.push(i);
      break;
    }
  }
  return { world: out, cells };
}
