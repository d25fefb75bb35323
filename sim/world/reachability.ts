import type { World } from './world.js';

/**
 * Cells reachable from (x, y) m moving between edge-neighbours over cells with no
 * obstacle and no cliff (breadth-first search on the true map). 1 = reachable.
 * Edge-neighbours only, so every passage found is at least one cell wide.
 */
export function reachableCells(world: World, x: number, y: number): Uint8Array {
  const { width, height } = world;
  const seen = new Uint8Array(width * height);
  const sx = world.cellOf(x);
  const sy = world.cellOf(y);
  if (!world.inBounds(sx, sy)) return seen;
  const open = (i: number): boolean => world.obstacle[i] === 0 && world.cliff[i] === 0;
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  const s = sy * width + sx;
  if (!open(s)) return seen;
  seen[s] = 1;
  queue[tail++] = s;
  while (head < tail) {
    const i = queue[head++];
    const cx = i % width;
    const cy = (i - cx) / width;
    if (cx > 0 && !seen[i - 1] && open(i - 1)) (seen[i - 1] = 1), (queue[tail++] = i - 1);
    if (cx < width - 1 && !seen[i + 1] && open(i + 1)) (seen[i + 1] = 1), (queue[tail++] = i + 1);
    if (cy > 0 && !seen[i - width] && open(i - width)) (seen[i - width] = 1), (queue[tail++] = i - width);
    if (cy < height - 1 && !seen[i + width] && open(i + width)) (seen[i + width] = 1), (queue[tail++] = i + width);
  }
  return seen;
}

/** Names of the places (targets, "base") that cannot be reached from the start on the true map. */
export function unreachablePlaces(world: World): string[] {
  const seen = reachableCells(world, world.start.x, world.start.y);
  const at = (x: number, y: number): boolean => seen[world.cellOf(y) * world.width + world.cellOf(x)] === 1;
  const out: string[] = [];
  for (const t of world.targets) if (!at(t.x, t.y)) out.push(t.name);
  if (!at(world.base.x, world.base.y)) out.push('base');
  return out;
}
