import type { ScenarioEvent } from './scenario/scenario-schema.js';
import type { Pose } from './world/world.js';

/**
 * What the rover is told to do for one step: either wheel speeds (`left`/`right`, m/s,
 * used when both are given) or a twist (`v` m/s, `w` rad/s); `sample` is the sample
 * output (a rising edge starts a sample). Missing values mean 0 / false.
 */
export interface Actuators {
  v?: number;
  w?: number;
  left?: number;
  right?: number;
  sample?: boolean;
}

export type SimEventKind =
  | 'collision'
  | 'sample_started'
  | 'target_sampled'
  | 'sample_failed'
  | 'charging_started'
  | 'charging_stopped'
  | 'battery_empty'
  | 'lost'
  | 'range_dropout_started'
  | 'range_dropout_ended'
  | 'estop_on'
  | 'estop_off';

/** Something that happened in the world, at sim time `t_s`. */
export interface SimEvent {
  t_s: number;
  kind: SimEventKind;
  message: string;
  target?: string;
}

/** Ground truth, for summaries and tests; the control tree sees only {@link SensorValues}. */
export interface SimTruth {
  t_s: number;
  pose: Pose;
  /** Actual ground speed (m/s) and turn rate (rad/s). */
  v: number;
  w: number;
  battery: number;
  battery_min: number;
  battery_wh: number;
  energy_used_wh: number;
  energy_charged_wh: number;
  distance_m: number;
  collisions: number;
  targets_total: number;
  targets_sampled: string[];
  charging: boolean;
  at_base: boolean;
  depleted: boolean;
  lost: boolean;
  lost_reason?: string;
}

/** Options beyond the world and rover. */
export interface SimulationOptions {
  /** Scenario events the simulator acts on (range dropouts, e-stop windows); others are ignored. */
  events?: readonly ScenarioEvent[];
  /** Record a path point each time the rover has moved this far (m). Default 0.05. */
  pathSpacingM?: number;
}
