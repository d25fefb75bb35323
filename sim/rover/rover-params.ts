import { z } from 'zod';

const pos = () => z.number().positive();
const nonneg = () => z.number().min(0);

/** Range finder: `rays` beams spread evenly over `fov_deg`, centred on the heading. */
export const rangeParamsSchema = z
  .object({
    rays: z.number().int().min(1).max(360).default(16),
    fov_deg: z.number().positive().max(360).default(180),
    max_m: pos().default(5),
    /** Gaussian noise on each reading (m). */
    noise_sd: nonneg().default(0.02),
    rate_hz: pos().default(10),
    /** Readings are reported to this step (m), as a real range finder's are (0: exact). */
    resolution_m: nonneg().default(0.001),
  })
  .strict();

/** Every physical and sensor constant of the rover, with defaults for a small 0.4 m rover. */
export const roverParamsSchema = z
  .object({
    /** Distance between the wheels (m). */
    wheel_base: pos().default(0.4),
    /** The rover is a disc of this radius for collisions (m). */
    radius: pos().default(0.2),
    max_wheel_speed: pos().default(0.6),
    /** Largest change of each wheel's speed (m/s²). */
    max_accel: pos().default(1.0),
    /** Fraction of wheel motion lost on soft ground (the wheels turn, the rover moves less). */
    soft_slip: z.number().min(0).max(0.9).default(0.3),
    battery: z
      .object({
        capacity_wh: pos().default(20),
        /** State of charge at start, 0..1. */
        initial: z.number().min(0).max(1).default(1),
        idle_w: nonneg().default(2),
        /** Drive power per m/s of mean wheel speed on flat firm ground (W). */
        drive_w_per_mps: nonneg().default(20),
        /** Drive power is multiplied by this on soft ground. */
        soft_factor: z.number().min(1).default(2),
        /** Drive power is multiplied by (1 + slope_factor * sin(slope)). */
        slope_factor: nonneg().default(3),
        /** Charger power at the base (W), when the rover stands still there. */
        charge_w: nonneg().default(120),
        /** State of charge is reported to this step (fraction; 0: exact). */
        resolution: nonneg().default(0.001),
      })
      .strict()
      .prefault({}),
    sample: z
      .object({
        /** The rover must stand within this distance of a target's centre (m). */
        radius_m: pos().default(0.5),
        /** Seconds of standing still with `sample` on. */
        duration_s: pos().default(3),
      })
      .strict()
      .prefault({}),
    range: rangeParamsSchema.prefault({}),
    odometry: z
      .object({
        /** Each wheel's scale error is drawn once from N(1, scale_sd): odometry drifts. */
        scale_sd: nonneg().default(0.01),
        /** Random-walk noise (m per sqrt(m) travelled). */
        noise_sd: nonneg().default(0.003),
        /** Wheel distances are reported to this step (m): an encoder tick (0: exact). */
        resolution_m: nonneg().default(0.0001),
      })
      .strict()
      .prefault({}),
    fix: z
      .object({
        rate_hz: pos().default(1),
        noise_sd: nonneg().default(0.25),
        /** Fixes are reported to this step (m; 0: exact). */
        resolution_m: nonneg().default(0.01),
      })
      .strict()
      .prefault({}),
    heading: z
      .object({
        noise_sd: nonneg().default(0.01),
        /** A constant bias drawn once from N(0, bias_sd) (rad). */
        bias_sd: nonneg().default(0.005),
        /** Headings are reported to this step (rad; 0: exact). */
        resolution_rad: nonneg().default(0.001),
      })
      .strict()
      .prefault({}),
    /** How far ahead of the rover's edge the cliff sensor looks (m). */
    cliff_lookahead_m: pos().default(0.4),
    /** Below this |speed| (m/s) on both wheels the rover counts as stopped. */
    stopped_mps: pos().default(0.01),
  })
  .strict();

export type RoverParams = z.output<typeof roverParamsSchema>;
export type RoverParamsInput = z.input<typeof roverParamsSchema>;

/** Fills defaults and validates; throws an error naming each bad field. */
export function createRoverParams(input: RoverParamsInput = {}): RoverParams {
  const parsed = roverParamsSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `rover params: ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new Error(lines.join('\n'));
  }
  return parsed.data;
}
