import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT, commandedV } from './proposals.js';

export const avoidParamsSchema = z
  .object({
    /** Rays within ±cone_deg of straight ahead count as "in front". */
    cone_deg: z.number().positive().max(180).default(60),
    /** Slow down when the nearest obstacle in front is closer than this (m). */
    slow_m: z.number().positive().default(1.0),
    /** Turn away when closer than this (m). */
    avoid_m: z.number().positive().default(0.6),
    /** Stop moving forward (keep turning away) when closer than this (m). */
    stop_m: z.number().positive().default(0.3),
    /** A zone is left only when the distance exceeds its threshold by this much (m): no dithering at an edge. */
    hysteresis_m: z.number().nonnegative().default(0.05),
    /** Speed cap in the slow zone (m/s). */
    slow_v: z.number().nonnegative().default(0.2),
    /** Speed cap while turning away (m/s). */
    turn_v: z.number().nonnegative().default(0.05),
    /** Turn rate away from the obstacle (rad/s, positive). */
    turn_w: z.number().positive().default(0.8),
  })
  .strict()
  .refine((p) => p.stop_m < p.avoid_m && p.avoid_m < p.slow_m, {
    message: 'distances must satisfy stop_m < avoid_m < slow_m',
  });
export type AvoidParams = z.output<typeof avoidParamsSchema>;

type AvoidState = 'clear' | 'slow' | 'turn' | 'stop';
/** Latched turn direction (+1 left, -1 right; 0 = not chosen), so the rover does not swing back and forth. */
interface AvoidContext {
  readonly dir: -1 | 0 | 1;
}
const NONE: AvoidContext = Object.freeze({ dir: 0 });
const LEFT: AvoidContext = Object.freeze({ dir: 1 });
const RIGHT: AvoidContext = Object.freeze({ dir: -1 });

/**
 * Nearest distance in the front cone. Missing range data gives Infinity: the hazard
 * behavior, not this one, stops on bad data.
 */
function frontDistance(i: ReflexInput, coneRad: number): number {
  const r = i.sensors.range;
  if (r === undefined) return Infinity;
  let d = Infinity;
  const a = i.rayAngles;
  for (let k = 0; k < r.length; k++) if (Math.abs(a[k]) <= coneRad && r[k] < d) d = r[k];
  return d;
}

/** Turns toward the side with more room (sum of ray distances left vs right of ahead). */
function pickSide(i: ReflexInput): AvoidContext {
  const r = i.sensors.range;
  if (r === undefined) return LEFT;
  let left = 0;
  let right = 0;
  for (let k = 0; k < r.length; k++) {
    if (i.rayAngles[k] > 0) left += r[k];
    else if (i.rayAngles[k] < 0) right += r[k];
  }
  return left >= right ? LEFT : RIGHT;
}

/** Builds the avoid machine: clear → slow → turn → stop by front distance, each zone left with hysteresis. */
export function createAvoidMachine(p: AvoidParams) {
  const cone = (p.cone_deg * Math.PI) / 180;
  // Distance is computed once per step per guard; cheap (a handful of rays).
  const d = (i: ReflexInput): number => frontDistance(i, cone);
  const choose = { type: 'choose-side', assign: (c: AvoidContext, i: ReflexInput): AvoidContext => (c.dir === 0 ? pickSide(i) : c) };
  const forget = { type: 'forget-side', assign: (): AvoidContext => NONE };
  const slowOut = (i: ReflexInput): Proposal<number> => ({ v: Math.min(commandedV(i, p.slow_v), p.slow_v) });
  // The parent turning the rover on the spot (no forward speed) cannot drive it into what
  // is in front: the rover is a disc. Then only forward motion is held and the parent's
  // turn goes through; turning away instead would fight it and both would swing back
  // and forth (seen: a rover stuck for minutes beside a rock its path went round).
  const onTheSpot = (i: ReflexInput): boolean => i.parentCommand !== undefined && i.parentCommand.v <= 0;
  const turnOut = (i: ReflexInput, c: AvoidContext): Proposal<number> =>
    onTheSpot(i) ? { v: Math.min(commandedV(i, 0), 0) } : { v: Math.min(commandedV(i, p.turn_v), p.turn_v), w: c.dir * p.turn_w };
  const stopOut = (i: ReflexInput, c: AvoidContext): Proposal<number> => (onTheSpot(i) ? { v: Math.min(commandedV(i, 0), 0) } : { v: Math.min(commandedV(i, 0), 0), w: c.dir * p.turn_w });
  return createMachine<AvoidState, ReflexInput, AvoidContext, Proposal<number>>({
    id: 'avoid',
    initial: 'clear',
    context: NONE,
    states: {
      clear: {
        entry: [forget],
        output: SILENT,
        on: [
          { to: 'stop', when: (i) => d(i) < p.stop_m },
          { to: 'turn', when: (i) => d(i) < p.avoid_m },
          { to: 'slow', when: (i) => d(i) < p.slow_m },
        ],
      },
      slow: {
        entry: [forget],
        output: slowOut,
        on: [
          { to: 'stop', when: (i) => d(i) < p.stop_m },
          { to: 'turn', when: (i) => d(i) < p.avoid_m },
          { to: 'clear', when: (i) => d(i) > p.slow_m + p.hysteresis_m },
        ],
      },
      turn: {
        entry: [choose],
        output: turnOut,
        on: [
          { to: 'stop', when: (i) => d(i) < p.stop_m },
          { to: 'slow', when: (i) => d(i) > p.avoid_m + p.hysteresis_m },
        ],
      },
      stop: {
        entry: [choose],
        output: stopOut,
        on: [{ to: 'turn', when: (i) => d(i) > p.stop_m + p.hysteresis_m }],
      },
    },
  });
}

/** Obstacle avoidance from range rays: slow down, turn away, stop, by distance to the nearest obstacle in front. */
export const avoidBehavior: BehaviorType<ReflexInput, AvoidParams, number> = {
  type: 'avoid',
  description: 'from range rays: cap speed within slow_m, turn away within avoid_m, stop forward motion within stop_m',
  params: avoidParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'avoid', createAvoidMachine(params)),
};
