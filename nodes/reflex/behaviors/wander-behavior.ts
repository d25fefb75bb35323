import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { Random } from '../../../src/time/random.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT } from './proposals.js';

const msRange = z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b, { message: 'give [min, max] with min <= max' });

export const wanderParamsSchema = z
  .object({
    /** Off by default: a rover should not wander unless asked to. */
    enabled: z.boolean().default(false),
    cruise_v: z.number().nonnegative().default(0.2),
    turn_w: z.number().positive().default(0.6),
    /** Duration of each straight leg, drawn uniformly from [min, max] ms. */
    cruise_ms: msRange.default([2000, 6000]),
    /** Duration of each turn, drawn uniformly from [min, max] ms. */
    turn_ms: msRange.default([500, 1500]),
  })
  .strict();
export type WanderParams = z.output<typeof wanderParamsSchema>;

interface WanderContext {
  /** How long the current leg lasts (ms). */
  readonly duration: number;
  readonly dir: 1 | -1;
}

/**
 * Builds the wander machine: while enabled and the parent gives no motion command, cruise
 * straight and turn by turns, with random durations and directions drawn from `random`
 * (a seeded stream, so runs repeat).
 */
export function createWanderMachine(p: WanderParams, random: Random) {
  const active = (i: ReflexInput): boolean => p.enabled && i.parentCommand === undefined;
  const cruise: Proposal<number> = Object.freeze({ v: p.cruise_v, w: 0 });
  const left: Proposal<number> = Object.freeze({ v: 0, w: p.turn_w });
  const right: Proposal<number> = Object.freeze({ v: 0, w: -p.turn_w });
  const drawCruise = { type: 'draw-cruise', assign: (c: WanderContext): WanderContext => ({ duration: random.range(p.cruise_ms[0], p.cruise_ms[1]), dir: c.dir }) };
  const drawTurn = {
    type: 'draw-turn',
    assign: (): WanderContext => ({ duration: random.range(p.turn_ms[0], p.turn_ms[1]), dir: random.next() < 0.5 ? 1 : -1 }),
  };
  const done = (_i: ReflexInput, c: WanderContext, elapsed: number): boolean => elapsed >= c.duration;
  return createMachine<'off' | 'cruise' | 'turn', ReflexInput, WanderContext, Proposal<number>>({
    id: 'wander',
    initial: 'off',
    context: { duration: 0, dir: 1 },
    states: {
      off: { output: SILENT, on: [{ to: 'cruise', when: active }] },
      cruise: {
        entry: [drawCruise],
        output: cruise,
        on: [
          { to: 'off', when: (i) => !active(i) },
          { to: 'turn', when: done },
        ],
      },
      turn: {
        entry: [drawTurn],
        output: (_i, c) => (c.dir > 0 ? left : right),
        on: [
          { to: 'off', when: (i) => !active(i) },
          { to: 'cruise', when: done },
        ],
      },
    },
  });
}

/** Wander: random straight legs and turns when enabled and the parent commands no motion. */
export const wanderBehavior: BehaviorType<ReflexInput, WanderParams, number> = {
  type: 'wander',
  description: 'when enabled and the parent gives no motion command: cruise straight, then turn, with seeded random durations',
  params: wanderParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'wander', createWanderMachine(params, ctx.random)),
};
