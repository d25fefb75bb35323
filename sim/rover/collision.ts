import type { World } from '../world/world.js';

/** Squared distance from (x, y) to the nearest point of cell (cx, cy). */
function cellDist2(x: number, y: number, cx: number, cy: number, cs: number): number {
  const x0 = cx * cs;
  const y0 = cy * cs;
  const dx = x < x0 ? x0 - x : x > x0 + cs ? x - x0 - cs : 0;
  const dy = y < y0 ? y0 - y : y > y0 + cs ? y - y0 - cs : 0;
  return dx * dx + dy * dy;
}

/** True if a disc of radius `r` at (x, y) overlaps an obstacle cell or leaves the map. */
export function discHitsObstacle(world: World, x: number, y: number, r: number): boolean {
  const cs = world.cellSize;
  const x0 = Math.floor((x - r) / cs);
  const x1 = Math.floor((x + r) / cs);
  const y0 = Math.floor((y - r) / cs);
  const y1 = Math.floor((y + r) / cs);
  const r2 = r * r;
  for (let cy = y0; cy <= y1; cy++) {
    for (let cx = x0; cx <= x1; cx++) {
      if (world.isBlocked(cx, cy) && cellDist2(x, y, cx, cy, cs) < r2) return true;
    }
  }
  return false;
}

/**
 * Direction (world frame, rad) from (x, y) to the nearest obstacle point within `reach`,
 * or NaN if there is none. Used for the bumpers: which side is touching.
 */
export function nearestObstacleBearing(world: World, x: number, y: number, reach: number): number {
  const cs = world.cellSize;
  const x0 = Math.floor((x - reach) / cs);
  const x1 = Math.floor((x + reach) / cs);
  const y0 = Math.floor((y - reach) / cs);
  const y1 = Math.floor((y + reach) / cs);
  let best = reach * reach;
  let bx = Number.NaN;
  let by = Number.NaN;
  for (let cy = y0; cy <= y1; cy++) {
    for (let cx = x0; cx <= x1; cx++) {
      if (!world.isBlocked(cx, cy)) continue;
      const d2 = cellDist2(x, y, cx, cy, cs);
      if (d2 <= best) {
        best = d2;
        bx = Math.min(Math.max(x, cx * cs), (cx + 1) * cs);
        by = Math.min(Math.max(y, cy * cs), (cy + 1) * cs);
      }
    }
  }
  if (Number.isNaN(bx)) return Number.NaN;
  return Math.atan2(by - y, bx - x);
}
