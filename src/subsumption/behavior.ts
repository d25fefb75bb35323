import type { z } from 'zod';
import type { Random } from '../time/random.js';
import type { Machine, FsmSnapshot } from '../fsm/machine-types.js';

/** A value on an output wire (a speed, a flag, a mode name). */
export type OutputValue = number | boolean | string;

/**
 * What a behavior puts on its output wires this step: a value per output it asserts;
 * `undefined` (or absent) means silent on that wire, so lower layers pass through.
 */
export type Proposal<V = OutputValue> = Readonly<Record<string, V | undefined>>;

/** A running behavior: an FSM reading the inputs and proposing outputs. */
export interface Behavior<I, V = OutputValue> {
  readonly id: string;
  readonly type: string;
  /** Runs one step at `now` (every behavior steps every cycle, suppressed or not, so its timers and latches keep going). */
  step(input: I, now: number): Proposal<V>;
  /** The FSM state after the latest step (the initial state before the first). */
  state(): string;
}

/** What a behavior gets at creation besides its params. */
export interface BehaviorContext {
  /** The behavior's id in the config. */
  readonly id: string;
  /** Its own seeded stream (forked from the node's by id), for behaviors such as wander. */
  readonly random: Random;
}

/**
 * A kind of behavior that configs can instantiate by `type`. `drives` lists the outputs
 * it can put values on; `params` checks and defaults its `params` block.
 */
export interface BehaviorType<I, P = unknown, V = OutputValue> {
  readonly type: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  readonly drives: readonly string[];
  create(params: P, ctx: BehaviorContext): Behavior<I, V>;
}

/** A table of behavior types by name. */
export type BehaviorRegistry<I, V = OutputValue> = Readonly<Record<string, BehaviorType<I, any, V>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Wraps a machine whose output is a {@link Proposal} as a {@link Behavior}. The machine
 * starts at the first step's `now` (its timers count from there).
 */
export function fsmBehavior<S extends string, I, C, V = OutputValue>(
  id: string,
  type: string,
  machine: Machine<S, I, C, Proposal<V>>,
): Behavior<I, V> {
  let snapshot: FsmSnapshot<S, C> | undefined;
  return {
    id,
    type,
    step(input: I, now: number): Proposal<V> {
      snapshot = machine.transition(snapshot ?? machine.initial(now, input), input, now);
      return machine.output(snapshot, input, now);
    },
    state: () => snapshot?.value ?? machine.initialState,
  };
}
