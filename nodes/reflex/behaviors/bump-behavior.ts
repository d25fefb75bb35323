import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT } from './proposals.js';

export const bumpParamsSchema = z
  .object({
    /** Reverse speed while backing off (m/s, positive). */
    backoff_v: z.number().positive().default(0.1),
    backoff_ms: z.number().positive().default(500),
    /** Turn rate away from the bumped side (rad/s, positive). */
    turn_w: z.number().positive().default(1.0),
    turn_ms: z.number().positive().default(600),
  })
  .strict();
export type BumpParams = z.output<typeof bumpParamsSchema>;

type BumpState = 'idle' | 'backoff' | 'turn';
/** Turn direction: +1 left (after a right bump), -1 right. */
interface BumpContext {
  readonly dir: 1 | -1;
}

const bumped = (i: ReflexInput): boolean => i.sensors.bump_left === true || i.sensors.bump_right === true;

/** Builds the bump machine: idle → (bump) backoff → (timer) turn away → (timer) idle; a new bump while turning backs off again. */
export function createBumpMachine(p: BumpParams) {
  const back: Proposal<number> = Object.freeze({ v: -p.backoff_v, w: 0 });
  const left: Proposal<number> = Object.freeze({ v: 0, w: p.turn_w });
  const right: Proposal<number> = Object.freeze({ v: 0, w: -p.turn_w });
  const chooseSide = {
    type: 'choose-side',
    // A left bump turns right; a right or double bump turns left.
    assign: (_c: BumpContext, i: ReflexInput): BumpContext => (i.sensors.bump_left === true && i.sensors.bump_right !== true ? RIGHT : LEFT),
  };
  return createMachine<BumpState, ReflexInput, BumpContext, Proposal<number>>({
    id: 'bump',
    initial: 'idle',
    context: LEFT,
    states: {
      idle: { output: SILENT, on: [{ to: 'backoff', when: bumped, actions: [chooseSide] }] },
      backoff: { output: back, on: [{ to: 'turn', after: p.backoff_ms }] },
      turn: {
        output: (_i, c) => (c.dir > 0 ? left : right),
        on: [
          { to: 'backoff', when: bumped, actions: [chooseSide] },
          { to: 'idle', after: p.turn_ms },
        ],
      },
    },
  });
}
const LEFT: BumpContext = Object.freeze({ dir: 1 });
const RIGHT: BumpContext = Object.freeze({ dir: -1 });

/** Bump: on a bumper press, back off for a set time, then turn away from the bumped side. */
export const bumpBehavior: BehaviorType<ReflexInput, BumpParams, number> = {
  type: 'bump',
  description: 'on a bumper press: reverse for backoff_ms, then turn away from the bumped side for turn_ms',
  params: bumpParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'bump', createBumpMachine(params)),
};
