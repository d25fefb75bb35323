/**
 * Types of the strata finite-state machine. A machine is plain data plus pure functions:
 * guards read the input, the context and the time spent in the current state; actions
 * return a new context. Time is always the `now` passed in, never a clock read.
 */

/** Guard on a transition. Positional arguments so the hot path allocates nothing. */
export type FsmGuard<I, C> = (input: I, context: C, elapsedMs: number, now: number) => boolean;

/** An action run on entry, exit or a transition: returns the next context (or the same one). */
export interface FsmAction<I, C> {
  /** Name reported in {@link FsmSnapshot.actions}, for logs and tests. */
  readonly type: string;
  /** Pure context update (xstate's `assign`). Omit for a marker action with no effect on context. */
  readonly assign?: (context: C, input: I, now: number) => C;
}

/** A transition out of a state, taken when every condition it states holds. */
export interface FsmTransition<S extends string, I, C> {
  readonly to: S;
  /** Input/context condition. */
  readonly when?: FsmGuard<I, C>;
  /** Timer condition: at least this many ms spent in the source state. */
  readonly after?: number;
  /** Actions run between the source's exit and the target's entry. */
  readonly actions?: readonly FsmAction<I, C>[];
}

/** The output of a state: a constant, or a function of input, context and time in state. */
export type FsmOutput<I, C, O> = O | ((input: I, context: C, elapsedMs: number, now: number) => O);

export interface FsmStateConfig<S extends string, I, C, O> {
  /** Transitions in priority order: the first whose conditions hold is taken. */
  readonly on?: readonly FsmTransition<S, I, C>[];
  readonly entry?: readonly FsmAction<I, C>[];
  readonly exit?: readonly FsmAction<I, C>[];
  /**
   * What the machine outputs while in this state. A function output is told apart from a
   * constant by `typeof === 'function'`, so O itself must not be a function type.
   */
  readonly output: FsmOutput<I, C, O>;
}

export interface FsmConfig<S extends string, I, C, O> {
  /** Names the machine in errors and reports. */
  readonly id: string;
  readonly initial: S;
  readonly context: C;
  readonly states: { readonly [K in S]: FsmStateConfig<S, I, C, O> };
  /**
   * Most transitions taken in one step (eventless transitions settle in a chain:
   * `a → b → c` within one step). Bounded so a mis-wired machine cannot loop forever. Default 4.
   */
  readonly maxMicrosteps?: number;
}

/**
 * Where a machine is: immutable. {@link Machine.transition} returns the same object when
 * nothing happened, and a new one (with the actions that ran) when a transition was taken.
 */
export interface FsmSnapshot<S extends string, C> {
  readonly value: S;
  /**
   * When this state was entered: timers count from here. The `now` of the step that took
   * the transition, except for pure timer transitions (`after` with no `when`), which enter
   * at their deadline, so a chain of timed states keeps its total length whatever the step rate.
   */
  readonly enteredAt: number;
  readonly context: C;
  /** Types of the actions run by the step that produced this snapshot (exit, transition, entry order). */
  readonly actions: readonly string[];
  /** Transitions taken since the machine started. */
  readonly transitions: number;
}

/** A compiled machine: pure functions over snapshots. */
export interface Machine<S extends string, I, C, O> {
  readonly id: string;
  readonly states: readonly S[];
  /** The state a new snapshot starts in. */
  readonly initialState: S;
  /** The snapshot at `now`, with the initial state's entry actions applied. */
  initial(now: number, input: I): FsmSnapshot<S, C>;
  /**
   * One step: takes the first transition whose guard and timer hold (repeating, up to
   * `maxMicrosteps`, so chains settle), runs exit → transition → entry actions. Returns
   * `snapshot` itself when no transition was taken.
   */
  transition(snapshot: FsmSnapshot<S, C>, input: I, now: number): FsmSnapshot<S, C>;
  /** The output of the snapshot's state for this input at `now`. */
  output(snapshot: FsmSnapshot<S, C>, input: I, now: number): O;
}
