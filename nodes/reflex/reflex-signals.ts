import { z } from 'zod';

/**
 * The names the reflex node reads from its level-0 device child (`sense.values`) and the
 * outputs it writes. Kept in one place so the simulator and hardware gateways can match them.
 */
export const REFLEX_SENSORS = {
  /** number[]: distance (m) along each range ray; ray angles are in the params (`rays.angles_deg`). */
  range: 'range',
  /** bool: left / right bumper pressed. */
  bumpLeft: 'bump_left',
  bumpRight: 'bump_right',
  /** bool: no ground ahead. */
  cliff: 'cliff',
  /** number: pitch or roll of the ground under the rover (deg, signed). */
  slopeDeg: 'slope_deg',
  /** bool: soft ground (sinkage) detected. */
  soft: 'soft',
  /** bool: emergency-stop button or remote pressed. */
  estop: 'estop',
  /** number: rover heading (rad, counter-clockwise from +x), used by heading commands. */
  heading: 'heading',
} as const;

export type ReflexSensorName = (typeof REFLEX_SENSORS)[keyof typeof REFLEX_SENSORS];

/** Output names: forward speed v (m/s) and turn rate w (rad/s, positive = counter-clockwise / left). */
export const REFLEX_OUTPUTS = { v: 'v', w: 'w' } as const;

/** Checked, typed sensor values: a field is undefined when the reading was missing or bad (see the faults). */
export interface ReflexSensors {
  readonly range: readonly number[] | undefined;
  readonly bump_left: boolean | undefined;
  readonly bump_right: boolean | undefined;
  readonly cliff: boolean | undefined;
  readonly slope_deg: number | undefined;
  readonly soft: boolean | undefined;
  readonly estop: boolean | undefined;
  readonly heading_rad: number | undefined;
}

/**
 * The parent's (pilot's) motion command: speed `v` (m/s) with either a turn rate `w`
 * (rad/s) or a heading to hold `heading_rad` (needs the `heading_rad` sensor).
 */
export const parentCommandSchema = z
  .object({
    v: z.number(),
    w: z.number().optional(),
    heading_rad: z.number().optional(),
  })
  .strict()
  .refine((c) => (c.w === undefined) !== (c.heading_rad === undefined), {
    message: 'give exactly one of "w" (turn rate, rad/s) or "heading_rad" (heading to hold)',
  });

export type ParentCommand = z.output<typeof parentCommandSchema>;

/** A bad or missing input, reported with every step while it lasts. */
export interface ReflexFault {
  /** Sensor name, `parent_command` or an output name. */
  readonly source: string;
  readonly problem: 'missing' | 'type' | 'nan' | 'range' | 'stale' | 'shape';
  readonly detail: string;
}

/** What every reflex behavior reads in one step. */
export interface ReflexInput {
  readonly now: number;
  readonly sensors: ReflexSensors;
  readonly faults: readonly ReflexFault[];
  /** Ray angles (rad, 0 = straight ahead, positive = left), one per `range` element. */
  readonly rayAngles: readonly number[];
  /** The parent's current command, if any (undefined: idle, or only heartbeats). */
  readonly parentCommand: ParentCommand | undefined;
  /** Clock time of the last message (command or heartbeat) from the parent. */
  readonly parentLastHeardAt: number | undefined;
  readonly parentPeriodMs: number;
  /** True on a step where the operator asks to release a latched e-stop. */
  readonly resetEstop: boolean;
}
