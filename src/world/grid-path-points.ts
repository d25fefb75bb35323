import { type CostMap, cellToWorld } from '../planning/grid/cost-map.js';

/**
 * World points (cell centres, metres) of a grid path, keeping only the cells where the
 * direction changes: the waypoints a navigator hands to its pilot, and the `via` list of
 * a predicted `move` step.
 */
export function gridPathToPoints(map: CostMap, cells: ArrayLike<number>): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  const w = map.width;
  for (let i = 0; i < cells.length; i++) {
    if (i > 0 && i < cells.length - 1) {
      const a = cells[i - 1];
      const b = cells[i];
      const c = cells[i + 1];
      const same = (b % w) - (a % w) === (c % w) - (b % w) && Math.floor(b / w) - Math.floor(a / w) === Math.floor(c / w) - Math.floor(b / w);
      if (same) continue;
    }
    out.push(cellToWorld(map, cells[i]));
  }
  return out;
}
