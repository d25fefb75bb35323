import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT, STOP } from './proposals.js';

export const followParamsSchema = z
  .object({
    /** Turn rate per radian of heading error, for heading commands (1/s). */
    heading_gain: z.number().positive().default(2.0),
  })
  .strict();
export type FollowParams = z.output<typeof followParamsSchema>;

/** Wraps an angle to (-π, π]. */
export function wrapAngle(a: number): number {
  const t = a % (2 * Math.PI);
  if (t > Math.PI) return t - 2 * Math.PI;
  if (t <= -Math.PI) return t + 2 * Math.PI;
  return t;
}

/** Builds the follow machine: idle / velocity / heading, by the shape of the parent's command. */
export function createFollowMachine(p: FollowParams) {
  const velocity = (i: ReflexInput): boolean => i.parentCommand !== undefined && i.parentCommand.w !== undefined;
  const heading = (i: ReflexInput): boolean => i.parentCommand !== undefined && i.parentCommand.heading_rad !== undefined;
  const idle = (i: ReflexInput): boolean => i.parentCommand === undefined;
  return createMachine<'idle' | 'velocity' | 'heading', ReflexInput, null, Proposal<number>>({
    id: 'follow',
    initial: 'idle',
    context: null,
    states: {
      idle: {
        output: SILENT,
        on: [
          { to: 'velocity', when: velocity },
          { to: 'heading', when: heading },
        ],
      },
      velocity: {
        output: (i) => (i.parentCommand === undefined ? SILENT : { v: i.parentCommand.v, w: i.parentCommand.w }),
        on: [
          { to: 'idle', when: idle },
          { to: 'heading', when: heading },
        ],
      },
      heading: {
        // Without a heading reading the error is unknown: stop rather than turn blind.
        output: (i) => {
          const c = i.parentCommand;
          if (c === undefined || c.heading_rad === undefined) return SILENT;
          if (i.sensors.heading_rad === undefined) return STOP;
          return { v: c.v, w: p.heading_gain * wrapAngle(c.heading_rad - i.sensors.heading_rad) };
        },
        on: [
          { to: 'idle', when: idle },
          { to: 'velocity', when: velocity },
        ],
      },
    },
  });
}

/** Follow the parent: drive the commanded v and w (or hold the commanded heading). Lowest layer. */
export const followBehavior: BehaviorType<ReflexInput, FollowParams, number> = {
  type: 'follow',
  description: "drive the parent's command: v with a turn rate w, or v with a heading to hold",
  params: followParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'follow', createFollowMachine(params)),
};
