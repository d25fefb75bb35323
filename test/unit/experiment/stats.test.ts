import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { describe, tQuantile975, wilson95 } from '../../../src/experiment/stats.js';

group('stats', () => {
  it('t quantiles match the published table, and the expansion beyond it', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(4)).toBeCloseTo(2.776, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
    expect(tQuantile975(0)).toBeNaN();
  });

  it('t quantiles fall toward the normal one as the degrees of freedom grow', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), (df) => tQuantile975(df + 1) < tQuantile975(df) && tQuantile975(df) > 1.959));
  });

  it('mean, sample sd and the 95 % CI of known data', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7); t(7) = 2.365.
    const s = describe([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    const half = (2.365 * Math.sqrt(32 / 7)) / Math.sqrt(8);
    expect(s.ci95[0]).toBeCloseTo(5 - half, 12);
    expect(s.ci95[1]).toBeCloseTo(5 + half, 12);
  });

  it('one value has a mean but no spread; none has nothing', () => {
    expect(describe([3])).toEqual({ n: 1, mean: 3, sd: NaN, ci95: [NaN, NaN] });
    expect(describe([]).mean).toBeNaN();
  });

  it('the CI holds the mean and is symmetric about it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), (xs) => {
        const s = describe(xs);
        return s.ci95[0] <= s.mean + 1e-6 && s.ci95[1] >= s.mean - 1e-6 && Math.abs(s.mean - s.ci95[0] - (s.ci95[1] - s.mean)) < 1e-6 * (1 + Math.abs(s.mean));
      }),
    );
  });

  it('Wilson intervals of known rates, always inside [0, 1]', () => {
    const [lo, hi] = wilson95(3, 3);
    expect(lo).toBeCloseTo(0.4385, 3);
    expect(hi).toBe(1);
    const [lo2, hi2] = wilson95(10, 20);
    expect(lo2).toBeCloseTo(0.2993, 3);
    expect(hi2).toBeCloseTo(0.7007, 3);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(n * f);
        const [a, b] = wilson95(k, n);
        return a >= 0 && b <= 1 && a <= k / n + 1e-12 && b >= k / n - 1e-12;
      }),
    );
  });
});
