import type { World } from '../world/world.js';

/**
 * Distance (m) from (x, y) along `angle` to the first obstacle cell or the map edge,
 * or `maxRange` if nothing is nearer. Grid traversal (Amanatides & Woo): visits each
 * cell the ray crosses once, no allocation. If `hit` is given, `hit.cell` is set to the
 * index of the obstacle cell hit, or -1 (nothing within range, or the map edge).
 */
export function castRay(world: World, x: number, y: number, angle: number, maxRange: number, hit?: { cell: number }): number {
  const cs = world.cellSize;
  const w = world.width;
  const h = world.height;
  const obstacle = world.obstacle;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  let cx = Math.floor(x / cs);
  let cy = Math.floor(y / cs);
  if (hit) hit.cell = -1;
  if (cx < 0 || cy < 0 || cx >= w || cy >= h) return 0;
  if (obstacle[cy * w + cx] !== 0) {
    if (hit) hit.cell = cy * w + cx;
    return 0;
  }
  const stepX = dx > 0 ? 1 : -1;
  const stepY = dy > 0 ? 1 : -1;
  const tDeltaX = dx !== 0 ? Math.abs(cs / dx) : Infinity;
  const tDeltaY = dy !== 0 ? Math.abs(cs / dy) : Infinity;
  let tMaxX = dx > 0 ? ((cx + 1) * cs - x) / dx : dx < 0 ? (cx * cs - x) / dx : Infinity;
  let tMaxY = dy > 0 ? ((cy + 1) * cs - y) / dy : dy < 0 ? (cy * cs - y) / dy : Infinity;
  for (;;) {
    let t: number;
    if (tMaxX < tMaxY) {
      t = tMaxX;
      tMaxX += tDeltaX;
      cx += stepX;
    } else {
      t = tMaxY;
      tMaxY += tDeltaY;
      cy += stepY;
    }
    if (t >= maxRange) return maxRange;
    if (cx < 0 || cy < 0 || cx >= w || cy >= h) return t;
    if (obstacle[cy * w + cx] !== 0) {
      if (hit) hit.cell = cy * w + cx;
      return t;
    }
  }
}
