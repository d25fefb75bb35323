import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../../../src/time/random.js';

describe('createRandom', () => {
  it('gives the same numbers for the same seed and others for another seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('forks independent streams: drawing from one does not move another', () => {
    const root = createRandom('s');
    const x1 = root.fork('node/a').next();
    const other = createRandom('s');
    other.fork('node/b').next();
    other.next();
    expect(other.fork('node/a').next()).toBe(x1);
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, lo, span) => {
        const r = createRandom(seed);
        const i = r.int(lo, lo + span);
        const u = r.next();
        return i >= lo && i <= lo + span && Number.isInteger(i) && u >= 0 && u < 1;
      }),
    );
  });

  it('draws a standard normal with mean ~0 and sd ~1', () => {
    const r = createRandom(7);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});
