import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMapFile } from '../../../sim/io/load-scenario-file.js';
import { placeUnknownRocks } from '../../../sim/world/place-unknown-rocks.js';
import { unreachablePlaces } from '../../../sim/world/reachability.js';
import { UNKNOWN_OBSTACLE } from '../../../sim/world/world.js';
import { createRandom } from '../../../src/time/random.js';
import { gridWorld } from './helpers.js';

const cluttered = loadMapFile(new URL('../../../configs/maps/cluttered.yaml', import.meta.url).pathname);
const maze = loadMapFile(new URL('../../../configs/maps/maze.yaml', import.meta.url).pathname);

describe('unknown rock placement', () => {
  it('is deterministic for a seed and differs with another', () => {
    const a = placeUnknownRocks(cluttered, 15, createRandom('s1')).cells;
    const b = placeUnknownRocks(cluttered, 15, createRandom('s1')).cells;
    const c = placeUnknownRocks(cluttered, 15, createRandom('s2')).cells;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(15);
  });

  it('leaves the input world unchanged and marks the rocks unknown to the rover', () => {
    const before = cluttered.trueObstacles();
    const { world, cells } = placeUnknownRocks(cluttered, 10, createRandom(1));
    expect(cluttered.trueObstacles()).toEqual(before);
    for (const i of cells) {
      expect(world.obstacle[i]).toBe(UNKNOWN_OBSTACLE);
      expect(world.knownObstacles()[i]).toBe(0);
    }
  });

  it('never covers or crowds targets, base or start, and never cuts a place off (any seed)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 40 }), fc.constantFrom(cluttered, maze), (seed, count, map) => {
        const { world, cells } = placeUnknownRocks(map, count, createRandom(seed));
        expect(cells.length).toBeLessThanOrEqual(count);
        expect(unreachablePlaces(world)).toEqual([]);
        for (const i of cells) {
          const c = world.cellCenter(i % world.width, Math.floor(i / world.width));
          for (const p of [world.start, ...world.targets]) expect(Math.hypot(c.x - p.x, c.y - p.y)).toBeGreaterThanOrEqual(1.2);
          expect(Math.hypot(c.x - world.base.x, c.y - world.base.y)).toBeGreaterThanOrEqual(1.2 + world.base.radius);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a rock that would seal a target in its only corridor', () => {
    // Corridors one cell wide lead to T: a rock almost anywhere in them would seal it,
    // so with no gap or clearance rule only the reachability check keeps T open.
    const w = gridWorld(['##########', '#SB......#', '#######..#', '#T.......#', '##########']);
    let placed = 0;
    for (let seed = 0; seed < 30; seed++) {
      const { world, cells } = placeUnknownRocks(w, 20, createRandom(seed), { minGapCells: 0, clearanceM: 0 });
      expect(unreachablePlaces(world)).toEqual([]);
      placed += cells.length;
    }
    expect(placed).toBeGreaterThan(0);
  });
});
