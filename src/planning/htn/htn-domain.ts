/**
 * Hierarchical task network (HTN) domains, written in TypeScript over a typed state `S`.
 *
 * A domain has two kinds of task. A primitive task (an {@link Operator}) is something a
 * child can be commanded to do: it has a precondition, an effect on the predicted state,
 * and a cost estimate. A compound task has ordered {@link Method}s, each a way to break the
 * task into subtasks; the planner tries them in order and backtracks to the next one when
 * a decomposition cannot be completed. State is treated as immutable: effects return a new
 * state and never change the one they are given, so backtracking is free.
 */

/** Task arguments: plain JSON-like values, so a plan step maps straight onto a child command. */
export type TaskArgs = Readonly<Record<string, string | number | boolean | null>>;

/** A task to do: its name (an operator or a compound task of the domain) and its arguments. */
export interface TaskCall {
  readonly task: string;
  readonly args?: TaskArgs;
}

/** Estimated cost of one primitive step. Energy is in the domain's own unit (e.g. battery fraction). */
export interface StepCost {
  readonly durationS: number;
  readonly energy: number;
}

/** A primitive task: what a child can be commanded to do. */
export interface Operator<S> {
  /**
   * True when the step can run in `state`. Return a string instead of false to say why not
   * (it shows in plan-repair reasons).
   */
  readonly precondition?: (state: S, args: TaskArgs) => boolean | string;
  /** The predicted state after the step. Must not modify `state`. */
  readonly effect: (state: S, args: TaskArgs) => S;
  /** Time and energy the step is expected to take from `state`. Default: zero. */
  readonly cost?: (state: S, args: TaskArgs) => StepCost;
  /** A short human label for viewers, e.g. `navigate to rock-3`. Default: task name and args. */
  readonly label?: (args: TaskArgs) => string;
}

/** One way to decompose a compound task. */
export interface Method<S> {
  readonly name: string;
  /**
   * The argument sets to try this method with, best first (as SHOP's precondition
   * bindings): e.g. one per candidate target, nearest first. Default: `[args]`.
   */
  readonly bindings?: (state: S, args: TaskArgs) => readonly TaskArgs[];
  /** False when the method does not apply (checked for each binding). */
  readonly when?: (state: S, args: TaskArgs) => boolean;
  /** The ordered subtasks. */
  readonly subtasks: (state: S, args: TaskArgs) => readonly TaskCall[];
}

/** A compound task: its methods are tried in order. */
export interface CompoundTask<S> {
  readonly methods: readonly Method<S>[];
}

/** A planning domain over state `S`. Operator and compound task names must not clash. */
export interface HtnDomain<S> {
  readonly name: string;
  readonly operators: Readonly<Record<string, Operator<S>>>;
  readonly compounds: Readonly<Record<string, CompoundTask<S>>>;
}

/**
 * Declares a domain with its state type inferred, and checks that no name is both an
 * operator and a compound task (the planner could not tell which is meant).
 */
export function defineDomain<S>(domain: HtnDomain<S>): HtnDomain<S> {
  for (const name of Object.keys(domain.operators)) {
    if (name in domain.compounds) {
      throw new Error(`HTN domain "${domain.name}": "${name}" is both an operator and a compound task; rename one of them`);
    }
  }
  return domain;
}

/** Runs an operator's precondition; returns undefined when it holds, else the reason it does not. */
export function checkPrecondition<S>(op: Operator<S>, name: string, state: S, args: TaskArgs): string | undefined {
  if (!op.precondition) return undefined;
  const ok = op.precondition(state, args);
  if (ok === true) return undefined;
  return typeof ok === 'string' ? ok : `precondition of ${describeTask({ task: name, args })} does not hold`;
}

/** `navigate(to=rock-3)`: a task call as text, for labels and reasons. */
export function describeTask(call: TaskCall): string {
  const args = Object.entries(call.args ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${call.task}(${args})`;
}
