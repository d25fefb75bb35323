import { describe, expect, it } from 'vitest';
import { OccupancyMap, diffCostMaps } from '../../../src/world/index.js';
import { DStarLite, astar } from '../../../src/planning/index.js';

const ray = (hx: number, hy: number, hit = true) => ({ x: 0.5, y: 5.5, hx, hy, hit });

describe('OccupancyMap (log-odds)', () => {
  it('firms up with repeated hits: one hit is not enough to block, a few are', () => {
    const m = new OccupancyMap({ width: 20, height: 11 });
    const cell = m.cellAt(10.5, 5.5);
    expect(m.probability(cell)).toBeCloseTo(0.5, 12);
    expect(m.addRay(ray(10.5, 5.5))).toEqual([]);
    const p1 = m.probability(cell);
    expect(p1).toBeGreaterThan(0.5);
    expect(m.isOccupied(cell)).toBe(false);
    expect(m.addRay(ray(10.5, 5.5))).toEqual([cell]); // flipped to occupied
    expect(m.probability(cell)).toBeGreaterThan(p1);
    for (let i = 0; i < 20; i++) m.addRay(ray(10.5, 5.5));
    expect(m.logOdds[cell]).toBeCloseTo(3.5, 5); // clamped
  });

  it('decays when beams pass through, and frees the cell again', () => {
    const m = new OccupancyMap({ width: 20, height: 11 });
    const cell = m.cellAt(10.5, 5.5);
    for (let i = 0; i < 3; i++) m.addRay(ray(10.5, 5.5));
    expect(m.isOccupied(cell)).toBe(true);
    const flips: number[] = [];
    for (let i = 0; i < 10 && m.isOccupied(cell); i++) flips.push(...m.addRay(ray(15.5, 5.5, false)));
    expect(flips).toEqual([cell]);
    expect(m.isOccupied(cell)).toBe(false);
    // Cells along the beam are more likely free; the max-range end without a hit too.
    m.addRay(ray(19.5, 5.5, false));
    expect(m.probability(m.cellAt(19.5, 5.5))).toBeLessThan(0.5);
    expect(m.probability(m.cellAt(5.5, 5.5))).toBeLessThan(0.5);
  });

  it('turns into an inflated cost map whose changes feed D* Lite', () => {
    const m = new OccupancyMap({ width: 30, height: 11, resolution: 0.5 });
    const before = m.toCostMap({ inflateRadius: 0.5 });
    // A wall across the middle, with a gap at the top, seen three times.
    const hits: Array<{ x: number; y: number; hx: number; hy: number }> = [];
    for (let y = 0; y < 4.5; y += 0.5) hits.push({ x: 1, y: y + 0.25, hx: 7.25, hy: y + 0.25 });
    for (let k = 0; k < 3; k++) m.addRays(hits);
    const after = m.toCostMap({ inflateRadius: 0.5 });
    expect(after.blocked[after.width * 2 + 14]).toBe(1);
    expect(after.blocked[after.width * 2 + 13]).toBe(1); // inflated by one cell
    expect(after.blocked[after.width * 2 + 12]).toBe(0);
    const changed = diffCostMaps(before, after);
    expect(changed.length).toBeGreaterThan(9 * 3 - 1);
    const start = 2 * before.width + 1;
    const goal = 2 * before.width + 28;
    const d = new DStarLite(before, start, goal);
    expect(d.plan().cost).toBeCloseTo(27, 9);
    d.applyChanges(changed.map((cell) => ({ cell, blocked: after.blocked[cell] === 1 })));
    const repaired = d.plan();
    expect(repaired.found).toBe(true);
    expect(repaired.cost).toBeCloseTo(astar(after, start, goal).cost, 9);
    expect(repaired.cost).toBeGreaterThan(27);
  });

  it('syncs a cost map incrementally, matching a full rebuild', () => {
    const m = new OccupancyMap({ width: 40, height: 30, resolution: 0.5 });
    const costMap = m.toCostMap({ inflateRadius: 1 });
    const flips = new Set<number>();
    const beams = [
      { x: 1, y: 1, hx: 10.2, hy: 7.3 },
      { x: 1, y: 1, hx: 10.7, hy: 7.3 },
      { x: 19, y: 14, hx: 3.1, hy: 12.2 },
    ];
    for (let k = 0; k < 3; k++) for (const c of m.addRays(beams)) flips.has(c) ? flips.delete(c) : flips.add(c);
    const changed = m.syncCostMap(costMap, flips, 1);
    const rebuilt = m.toCostMap({ inflateRadius: 1 });
    expect([...costMap.blocked]).toEqual([...rebuilt.blocked]);
    expect(changed).toEqual(diffCostMaps(new OccupancyMap({ width: 40, height: 30, resolution: 0.5 }).toCostMap(), rebuilt));
    // Beams through the obstacle later free it again, and the sync undoes the inflation.
    const clear: number[] = [];
    for (let k = 0; k < 10; k++) clear.push(...m.addRays([{ x: 1, y: 7.3, hx: 19, hy: 7.3, hit: false }]));
    expect(clear.length).toBeGreaterThan(0);
    expect(m.syncCostMap(costMap, clear, 1).length).toBeGreaterThan(0);
    expect([...costMap.blocked]).toEqual([...m.toCostMap({ inflateRadius: 1 }).blocked]);
  });
});
