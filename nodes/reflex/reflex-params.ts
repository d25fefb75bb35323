import { z } from 'zod';
import { subsumptionConfigSchema, type SubsumptionConfigInput } from '../../src/subsumption/subsumption-config.js';
import { REFLEX_SENSORS } from './reflex-signals.js';

const sensorName = z.enum(Object.values(REFLEX_SENSORS) as [string, ...string[]]);

/**
 * The standard stack, highest layer first. The watchdog asserts a stop as an inhibitor only:
 * while the parent is silent it blocks the behaviors that move on the parent's behalf
 * (avoid's speed caps, wander, follow), and the output falls to its safe default.
 */
export const DEFAULT_REFLEX_SUBSUMPTION: SubsumptionConfigInput = {
  outputs: {
    v: { default: 0, description: 'forward speed (m/s)' },
    w: { default: 0, description: 'turn rate (rad/s, positive = left)' },
  },
  behaviors: [
    { id: 'estop', type: 'estop', layer: 6 },
    { id: 'hazard', type: 'hazard', layer: 5 },
    { id: 'bump', type: 'bump', layer: 4 },
    { id: 'avoid', type: 'avoid', layer: 3 },
    { id: 'watchdog', type: 'watchdog', layer: 2 },
    { id: 'wander', type: 'wander', layer: 1 },
    { id: 'follow', type: 'follow', layer: 0 },
  ],
  wiring: [
    { from: 'estop', suppress: 'hazard' },
    { from: 'hazard', suppress: 'bump' },
    { from: 'bump', suppress: 'avoid' },
    { from: 'avoid', suppress: 'wander' },
    { from: 'wander', suppress: 'follow' },
    { from: 'watchdog', inhibit: 'avoid' },
    { from: 'watchdog', inhibit: 'wander' },
    { from: 'watchdog', inhibit: 'follow' },
  ],
};

/** Params of the `reflex` node kind: limits, sensor checks, and the subsumption stack. */
export const reflexParamsSchema = z
  .object({
    /** Every output is clamped to these, whatever the behaviors propose. */
    limits: z
      .object({
        max_v: z.number().positive().default(0.5),
        max_reverse_v: z.number().nonnegative().default(0.2),
        max_w: z.number().positive().default(1.5),
      })
      .strict()
      .default({ max_v: 0.5, max_reverse_v: 0.2, max_w: 1.5 }),
    rays: z
      .object({
        /** Angle of each `range` element (deg, 0 = ahead, positive = left). */
        angles_deg: z.array(z.number().min(-180).max(180)).min(1).default([-60, -30, 0, 30, 60]),
        /** Longest valid reading (m): a ray with no return should report this. */
        max_range_m: z.number().positive().default(5),
      })
      .strict()
      .default({ angles_deg: [-60, -30, 0, 30, 60], max_range_m: 5 }),
    sensors: z
      .object({
        /** Sensations older than this (ms, by their `t`) are stale: a fault. */
        max_age_ms: z.number().positive().default(100),
        /** Sensors whose absence is a fault. Others are checked only when present. */
        required: z.array(sensorName).default(['estop', 'bump_left', 'bump_right', 'range', 'cliff']),
      })
      .strict()
      .default({ max_age_ms: 100, required: ['estop', 'bump_left', 'bump_right', 'range', 'cliff'] }),
    /** The parent's period (ms) for the watchdog; default: the runtime's `parentPeriodMs`. */
    parent_period_ms: z.number().positive().optional(),
    subsumption: subsumptionConfigSchema.default(() => subsumptionConfigSchema.parse(DEFAULT_REFLEX_SUBSUMPTION)),
  })
  .strict();

export type ReflexParams = z.output<typeof reflexParamsSchema>;
export type ReflexParamsInput = z.input<typeof reflexParamsSchema>;
