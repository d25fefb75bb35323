import { z } from 'zod';
import { createMachine } from '../../../src/fsm/create-machine.js';
import { fsmBehavior, type BehaviorType, type Proposal } from '../../../src/subsumption/behavior.js';
import type { ReflexInput } from '../reflex-signals.js';
import { DRIVES, SILENT, STOP } from './proposals.js';

export const watchdogParamsSchema = z
  .object({
    /** The parent is lost after this many of its periods without a command or heartbeat. */
    parent_periods: z.number().positive().default(3),
  })
  .strict();
export type WatchdogParams = z.output<typeof watchdogParamsSchema>;

/** Builds the watchdog: waiting (never heard) → ok → lost → ok; it asserts a stop while waiting or lost. */
export function createWatchdogMachine(p: WatchdogParams) {
  const fresh = (i: ReflexInput, _c: null, _e: number, now: number): boolean =>
    i.parentLastHeardAt !== undefined && now - i.parentLastHeardAt <= p.parent_periods * i.parentPeriodMs;
  const stale = (i: ReflexInput, c: null, e: number, now: number): boolean => !fresh(i, c, e, now);
  return createMachine<'waiting' | 'ok' | 'lost', ReflexInput, null, Proposal<number>>({
    id: 'watchdog',
    initial: 'waiting',
    context: null,
    states: {
      waiting: { output: STOP, on: [{ to: 'ok', when: fresh }] },
      ok: { output: SILENT, on: [{ to: 'lost', when: stale }] },
      lost: { output: STOP, on: [{ to: 'ok', when: fresh }] },
    },
  });
}

/**
 * Watchdog: no word from the parent within `parent_periods` of its periods → safe stop;
 * resume when it is back. Wire it to inhibit the behaviors that move on the parent's behalf.
 */
export const watchdogBehavior: BehaviorType<ReflexInput, WatchdogParams, number> = {
  type: 'watchdog',
  description: 'assert a stop while the parent has been silent for more than parent_periods of its periods',
  params: watchdogParamsSchema,
  drives: DRIVES,
  create: (params, ctx) => fsmBehavior(ctx.id, 'watchdog', createWatchdogMachine(params)),
};
