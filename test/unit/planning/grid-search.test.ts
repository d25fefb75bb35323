import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../../../src/time/random.js';
import { DStarLite, applyCellChanges, astar, cellIndex, createCostMap, inflateObstacles, pathCost, type CostMap } from '../../../src/planning/index.js';

function mapFrom(rows: string[]): CostMap {
  const map = createCostMap({ width: rows[0].length, height: rows.length });
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    if (ch === '#') map.blocked[y * row.length + x] = 1;
    if (ch >= '2' && ch <= '9') map.terrain[y * row.length + x] = Number(ch);
  }));
  return map;
}

describe('A*', () => {
  it('goes straight and diagonally with octile costs on open ground', () => {
    const map = createCostMap({ width: 10, height: 10 });
    const p = astar(map, cellIndex(map, 0, 0), cellIndex(map, 9, 3));
    expect(p.found).toBe(true);
    expect(p.cost).toBeCloseTo(6 + 3 * Math.SQRT2, 9);
    expect(pathCost(map, p.cells)).toBeCloseTo(p.cost, 9);
  });

  it('goes around a wall and never cuts the corner of a blocked cell', () => {
    const map = mapFrom(['....', '.##.', '....']);
    const p = astar(map, cellIndex(map, 0, 1), cellIndex(map, 3, 1));
    expect(p.found).toBe(true);
    // Diagonal from (0,1) to (1,0) would pass the corner of blocked (1,1): not allowed.
    const cells = [...p.cells].map((c) => [c % 4, Math.floor(c / 4)]);
    for (const [x, y] of cells) expect(map.blocked[y * 4 + x]).toBe(0);
    expect(p.cost).toBeCloseTo(5, 9); // up, three across, down: no diagonal shortcut
  });

  it('prefers a longer way over rough terrain when it is cheaper', () => {
    const map = mapFrom(['.....', '.999.', '.....']);
    const p = astar(map, cellIndex(map, 0, 1), cellIndex(map, 4, 1));
    expect(p.cells).not.toContain(cellIndex(map, 2, 1));
  });

  it('reports no path, and a budget that ran out, with a reason', () => {
    const map = mapFrom(['..#..', '..#..', '..#..']);
    const none = astar(map, 0, 4);
    expect(none.found).toBe(false);
    expect(none.reason).toMatch(/no path/);
    const open = createCostMap({ width: 50, height: 50 });
    const cut = astar(open, 0, 2499, { maxExpansions: 10 });
    expect(cut.found).toBe(false);
    expect(cut.reason).toMatch(/budget of 10 expansions/);
  });

  it('inflates obstacles by the footprint radius', () => {
    const map = createCostMap({ width: 9, height: 9 });
    map.blocked[cellIndex(map, 4, 4)] = 1;
    const inflated = inflateObstacles(map, 2);
    expect(inflated.blocked[cellIndex(map, 6, 4)]).toBe(1);
    expect(inflated.blocked[cellIndex(map, 5, 5)]).toBe(1);
    expect(inflated.blocked[cellIndex(map, 6, 6)]).toBe(0); // √8 > 2
    expect(map.blocked[cellIndex(map, 6, 4)]).toBe(0); // original untouched
  });
});

const gridArb = fc
  .record({ w: fc.integer({ min: 2, max: 12 }), h: fc.integer({ min: 2, max: 12 }) })
  .chain(({ w, h }) =>
    fc.record({
      w: fc.constant(w),
      h: fc.constant(h),
      blocked: fc.array(fc.boolean(), { minLength: w * h, maxLength: w * h }),
      terrain: fc.array(fc.oneof(fc.constant(1), fc.double({ min: 1, max: 5, noNaN: true })), { minLength: w * h, maxLength: w * h }),
      start: fc.nat(w * h - 1),
      goal: fc.nat(w * h - 1),
      rounds: fc.array(
        fc.record({
          move: fc.boolean(),
          changes: fc.array(fc.record({ cell: fc.nat(w * h - 1), blocked: fc.boolean(), terrain: fc.double({ min: 1, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );

describe('D* Lite', () => {
  it('gives the same path cost as A* from scratch after random cell changes and robot moves', () => {
    fc.assert(
      fc.property(gridArb, (g) => {
        const map = createCostMap({ width: g.w, height: g.h });
        g.blocked.forEach((b, i) => (map.blocked[i] = b && i !== g.start && i !== g.goal ? 1 : 0));
        g.terrain.forEach((t, i) => (map.terrain[i] = t));
        const d = new DStarLite(map, g.start, g.goal);
        const check = (): void => {
          const inc = d.plan();
          const fresh = astar(map, d.start, g.goal);
          expect(inc.found).toBe(fresh.found);
          if (fresh.found) {
            expect(inc.cost).toBeCloseTo(fresh.cost, 6);
            expect(pathCost(map, inc.cells)).toBeCloseTo(inc.cost, 6);
            expect(inc.cells[0]).toBe(d.start);
            expect(inc.cells[inc.cells.length - 1]).toBe(g.goal);
          }
        };
        check();
        for (const round of g.rounds) {
          const path = d.plan();
          if (round.move && path.found && path.cells.length > 1) d.moveStart(path.cells[1]);
          d.applyChanges(round.changes.filter((c) => c.cell !== g.goal && c.cell !== d.start));
          check();
        }
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('repairs with far fewer expansions than the first search when cells change near the robot', () => {
    const map = createCostMap({ width: 120, height: 120 });
    // The first seed whose random map connects the corners (deterministic).
    for (let seed = 0; ; seed++) {
      const random = createRandom(`dstar-repair-${seed}`);
      for (let i = 0; i < map.blocked.length; i++) map.blocked[i] = random.next() < 0.25 ? 1 : 0;
      map.blocked[0] = 0;
      map.blocked[map.blocked.length - 1] = 0;
      if (astar(map, 0, map.blocked.length - 1).found) break;
    }
    const d = new DStarLite(map, cellIndex(map, 0, 0), cellIndex(map, 119, 119));
    const first = d.plan();
    expect(first.found).toBe(true);
    const changed = applyCellChanges(map, [1, 2, 3, 4, 5, 6].map((x) => ({ cell: cellIndex(map, x, 3), blocked: map.blocked[cellIndex(map, x, 3)] === 0 })));
    d.cellsChanged(changed);
    const repaired = d.plan();
    expect(repaired.found).toBe(true);
    expect(repaired.cost).toBeCloseTo(astar(map, d.start, d.goal).cost, 9);
    expect(first.expansions).toBeGreaterThan(2000);
    expect(repaired.expansions).toBeLessThan(first.expansions / 5);
  });

  it('resumes a search stopped by its budget', () => {
    const map = createCostMap({ width: 40, height: 40 });
    const d = new DStarLite(map, 0, 1599);
    const cut = d.plan({ maxExpansions: 5 });
    expect(cut.found).toBe(false);
    expect(cut.reason).toMatch(/call plan\(\) again/);
    const done = d.plan();
    expect(done.found).toBe(true);
    expect(done.cost).toBeCloseTo(39 * Math.SQRT2, 9);
  });
});
