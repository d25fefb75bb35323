import { pointSchema, type Point, type PointInput } from '../../src/contracts/device.js';
import { createRoverParams, type RoverParams } from './rover-params.js';

/**
 * The rover's device points: the one place the simulator's sensor and actuator names
 * live. A hardware gateway for a real rover publishes the same points, so the tree above
 * cannot tell the two apart. {@link SensorValues} and {@link ActuatorValues} use these names.
 */
export function roverPoints(params: RoverParams = createRoverParams()): Point[] {
  const fast = 100;
  const maxTurn = (2 * params.max_wheel_speed) / params.wheel_base;
  const raw: PointInput[] = [
    {
      name: 'range',
      direction: 'in',
      type: 'number[]',
      units: 'm',
      min: 0,
      max: params.range.max_m,
      rate_hz: params.range.rate_hz,
      description: `${params.range.rays} range-finder rays from the rover's centre, from the right edge (-${params.range.fov_deg / 2}°) to the left edge of the field of view; max_m when nothing is hit; NaN (null in JSON) for a dropped ray`,
    },
    { name: 'range_ok', direction: 'in', type: 'bool', rate_hz: params.range.rate_hz, description: 'false while the range finder is dropping out' },
    { name: 'bump_left', direction: 'in', type: 'bool', rate_hz: fast, description: 'front-left bumper pressed' },
    { name: 'bump_right', direction: 'in', type: 'bool', rate_hz: fast, description: 'front-right bumper pressed' },
    { name: 'odom_left', direction: 'in', type: 'number', units: 'm', rate_hz: fast, description: 'cumulative signed distance of the left wheel (drifts, and slips on soft ground)' },
    { name: 'odom_right', direction: 'in', type: 'number', units: 'm', rate_hz: fast, description: 'cumulative signed distance of the right wheel' },
    { name: 'fix_x', direction: 'in', type: 'number', units: 'm', rate_hz: params.fix.rate_hz, description: 'noisy position fix, x (east); changes only when a new fix arrives' },
    { name: 'fix_y', direction: 'in', type: 'number', units: 'm', rate_hz: params.fix.rate_hz, description: 'noisy position fix, y (north)' },
    { name: 'fix_t', direction: 'in', type: 'number', units: 's', rate_hz: params.fix.rate_hz, description: 'time of the latest fix (s, on the clock the reader passes)' },
    { name: 'heading', direction: 'in', type: 'number', units: 'rad', min: -Math.PI, max: Math.PI, rate_hz: fast, description: 'compass heading from +x (east), counter-clockwise, with noise and a small bias' },
    { name: 'battery', direction: 'in', type: 'number', units: 'fraction', min: 0, max: 1, rate_hz: 1, description: 'state of charge' },
    { name: 'charging', direction: 'in', type: 'bool', rate_hz: 1, description: 'standing still at the base, connected to the charger' },
    { name: 'at_base', direction: 'in', type: 'bool', rate_hz: 10, description: 'within the base radius' },
    { name: 'cliff', direction: 'in', type: 'bool', rate_hz: fast, description: 'a cliff just ahead (driving into one loses the rover)' },
    { name: 'slope_deg', direction: 'in', type: 'number', units: 'deg', min: 0, max: 90, rate_hz: 10, description: 'slope of the ground under the rover' },
    { name: 'soft', direction: 'in', type: 'bool', rate_hz: 10, description: 'soft ground under the rover (slip, more energy)' },
    { name: 'estop', direction: 'in', type: 'bool', rate_hz: fast, description: 'emergency stop pressed: the motors are cut' },
    { name: 'sampling', direction: 'in', type: 'bool', rate_hz: 10, description: 'a science sample is being taken (hold still)' },
    { name: 'sample_ok', direction: 'in', type: 'bool', rate_hz: 10, description: 'the last sample action succeeded' },
    { name: 'v', direction: 'out', type: 'number', units: 'm/s', min: -params.max_wheel_speed, max: params.max_wheel_speed, safe: 0, description: 'linear speed command' },
    { name: 'w', direction: 'out', type: 'number', units: 'rad/s', min: -maxTurn, max: maxTurn, safe: 0, description: 'turn rate command, counter-clockwise positive' },
    {
      name: 'sample',
      direction: 'out',
      type: 'bool',
      safe: false,
      description: `rising edge starts a sample; the rover must stand within ${params.sample.radius_m} m of a target for ${params.sample.duration_s} s with it held on`,
    },
  ];
  return raw.map((p) => pointSchema.parse(p));
}

/** Names of the input points, in the order of {@link roverPoints}. */
export const INPUT_POINT_NAMES = [
  'range',
  'range_ok',
  'bump_left',
  'bump_right',
  'odom_left',
  'odom_right',
  'fix_x',
  'fix_y',
  'fix_t',
  'heading',
  'battery',
  'charging',
  'at_base',
  'cliff',
  'slope_deg',
  'soft',
  'estop',
  'sampling',
  'sample_ok',
] as const;

/** Names of the output points. */
export const OUTPUT_POINT_NAMES = ['v', 'w', 'sample'] as const;

export type InputPointName = (typeof INPUT_POINT_NAMES)[number];
export type OutputPointName = (typeof OUTPUT_POINT_NAMES)[number];

/** One reading of every input point. `range` is absent while the range finder is silent (a "silent" dropout). */
export type SensorValues = { [K in Exclude<InputPointName, 'range' | NumberPoints | BoolPoints>]: never } & {
  range?: number[];
} & { [K in NumberPoints]: number } & { [K in BoolPoints]: boolean };

type NumberPoints = 'odom_left' | 'odom_right' | 'fix_x' | 'fix_y' | 'fix_t' | 'heading' | 'battery' | 'slope_deg';
type BoolPoints = 'range_ok' | 'bump_left' | 'bump_right' | 'charging' | 'at_base' | 'cliff' | 'soft' | 'estop' | 'sampling' | 'sample_ok';

/** Values of the output points, as a `write` command carries them. */
export interface ActuatorValues {
  v: number;
  w: number;
  sample: boolean;
}
