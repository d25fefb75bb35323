import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReflexCore, DEFAULT_REFLEX_SUBSUMPTION } from '../../../nodes/reflex/index.js';
import { createRandom } from '../../../src/time/random.js';

const LIMITS = { max_v: 0.5, max_reverse_v: 0.2, max_w: 1.5 };
const MAX_AGE = 100;

const number = fc.oneof(fc.double({ min: -20, max: 20 }), fc.constantFrom(NaN, Infinity, -Infinity));
const flag = fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'yes', 1) });
const step = fc.record({
  dt: fc.integer({ min: 1, max: 200 }),
  age: fc.integer({ min: 0, max: 150 }),
  estop: flag,
  bump_left: flag,
  bump_right: flag,
  cliff: flag,
  slope_deg: fc.option(number, { nil: undefined }),
  range: fc.option(fc.array(fc.oneof(fc.double({ min: -1, max: 8 }), fc.constant(NaN)), { minLength: 4, maxLength: 6 }), { nil: undefined }),
  command: fc.option(fc.record({ v: number, w: number }), { nil: undefined }),
  heardAgo: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  reset: fc.boolean(),
  wander: fc.boolean(),
});

describe('reflex core properties', () => {
  it('for any input sequence: outputs stay within limits, and a latched e-stop is never overridden', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.boolean(), (steps, wanderEnabled) => {
        // The default stack, with wander switched on in half the runs.
        const subsumption = {
          ...DEFAULT_REFLEX_SUBSUMPTION,
          behaviors: DEFAULT_REFLEX_SUBSUMPTION.behaviors.map((b) => (b.type === 'wander' ? { ...b, params: { enabled: wanderEnabled } } : b)),
        };
        const params = { limits: LIMITS, sensors: { max_age_ms: MAX_AGE, required: ['estop', 'bump_left', 'bump_right', 'range', 'cliff'] }, subsumption };
        const core = createReflexCore(params, { random: createRandom('prop'), parentPeriodMs: 100 });
        let now = 0;
        let latched = false;
        for (const s of steps) {
          now += s.dt;
          const fresh = s.age <= MAX_AGE;
          const r = core.step({
            now,
            sensors: { estop: s.estop, bump_left: s.bump_left, bump_right: s.bump_right, cliff: s.cliff, slope_deg: s.slope_deg, range: s.range },
            sensedAt: now - s.age,
            parentCommand: s.command,
            parentLastHeardAt: s.heardAgo === undefined ? undefined : now - s.heardAgo,
            resetEstop: s.reset,
          });
          // Model of the latch: a fresh `true` presses it; a reset with a fresh `false` releases it.
          if (fresh && s.estop === true) latched = true;
          else if (latched && s.reset && fresh && s.estop === false) latched = false;
          expect(r.estop).toBe(latched);
          if (latched) {
            expect(r.outputs).toEqual({ v: 0, w: 0 });
            expect(r.owners.v.by).toBe('estop');
            expect(r.owners.w.by).toBe('estop');
          }
          expect(Number.isFinite(r.outputs.v) && Number.isFinite(r.outputs.w)).toBe(true);
          expect(r.outputs.v).toBeLessThanOrEqual(LIMITS.max_v);
          expect(r.outputs.v).toBeGreaterThanOrEqual(-LIMITS.max_reverse_v);
          expect(Math.abs(r.outputs.w)).toBeLessThanOrEqual(LIMITS.max_w);
          // Any fault means the rover is not moving forward on bad data.
          if (r.faults.some((f) => f.source !== 'parent_command')) expect(r.outputs.v).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
