/** An obstacle object: a connected group of occupied cells. */
export interface ObstacleGroup {
  readonly id: number;
  /** Cell keys `cx,cy` of the group's cells. */
  readonly cells: readonly string[];
  readonly points: number;
  readonly centroid: { readonly x: number; readonly y: number };
  readonly min: { readonly x: number; readonly y: number };
  readonly max: { readonly x: number; readonly y: number };
  /** Distance from the centroid to the farthest point (m): a bounding circle for planners. */
  readonly radius: number;
}

export interface GroupOptions {
  /** Cell size (m). */
  readonly cellSize: number;
  /** A cell needs at least this many points to count (filters lone noise returns; default 1). */
  readonly minPoints?: number;
  /** Groups with fewer points are dropped (default 1). */
  readonly minGroupPoints?: number;
}

/**
 * Groups obstacle points (e.g. range hits in world coordinates) into cells, then joins
 * 8-connected occupied cells into objects: sensory perception's step from raw hits to things
 * a planner can reason about. Groups come out in a stable order (by their first cell).
 */
export function groupObstaclePoints(points: ReadonlyArray<{ readonly x: number; readonly y: number }>, options: GroupOptions): ObstacleGroup[] {
  const size = options.cellSize;
  if (!(size > 0)) throw new Error(`groupObstaclePoints: cellSize must be > 0, got ${size}`);
  const cells = new Map<string, { cx: number; cy: number; pts: Array<{ x: number; y: number }> }>();
  for (const p of points) {
    const cx = Math.floor(p.x / size);
    const cy = Math.floor(p.y / size);
    const key = `${cx},${cy}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { cx, cy, pts: [] }));
    c.pts.push(p);
  }
  const minPoints = options.minPoints ?? 1;
  for (const [k, c] of cells) if (c.pts.length < minPoints) cells.delete(k);
  const keys = [...cells.keys()].sort((a, b) => {
    const [ax, ay] = a.split(',').map(Number);
    const [bx, by] = b.split(',').map(Number);
    return ay - by || ax - bx;
  });
  const seen = new Set<string>();
  const groups: ObstacleGroup[] = [];
  for (const start of keys) {
    if (seen.has(start)) continue;
    seen.add(start);
    const members: string[] = [];
    const stack = [start];
    while (stack.length > 0) {
      const k = stack.pop() as string;
      members.push(k);
      const { cx, cy } = cells.get(k) as { cx: number; cy: number };
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nk = `${cx + dx},${cy + dy}`;
          if (!seen.has(nk) && cells.has(nk)) {
            seen.add(nk);
            stack.push(nk);
          }
        }
      }
    }
    const pts = members.flatMap((k) => (cells.get(k) as { pts: Array<{ x: number; y: number }> }).pts);
    if (pts.length < (options.minGroupPoints ?? 1)) continue;
    let sx = 0;
    let sy = 0;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const p of pts) {
      sx += p.x;
      sy += p.y;
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    }
    const centroid = { x: sx / pts.length, y: sy / pts.length };
    const radius = Math.max(...pts.map((p) => Math.hypot(p.x - centroid.x, p.y - centroid.y)));
    members.sort();
    groups.push({ id: groups.length, cells: members, points: pts.length, centroid, min: { x: minX, y: minY }, max: { x: maxX, y: maxY }, radius });
  }
  return groups;
}
