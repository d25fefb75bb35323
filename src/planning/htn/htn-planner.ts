import { type HtnDomain, type StepCost, type TaskArgs, type TaskCall, checkPrecondition, describeTask } from './htn-domain.js';

/** One primitive step of a plan, with the states the planner predicted around it. */
export interface HtnStep<S> {
  readonly task: string;
  readonly args: TaskArgs;
  readonly label: string;
  readonly cost: StepCost;
  /** Predicted state when the step starts (its precondition held here). */
  readonly before: S;
  /** Predicted state when the step ends. */
  readonly after: S;
}

/** Why the search stopped. */
export type HtnStop = 'done' | 'exhausted' | 'budget' | 'deadline';

export interface HtnStats {
  /** Tasks taken off the agenda (the deterministic budget counts these). */
  readonly expansions: number;
  /** Alternatives abandoned at a choice point (a method or binding that led nowhere). */
  readonly backtracks: number;
  /** Complete plans found (more than one only with `optimize`). */
  readonly plansFound: number;
}

/** The outcome of {@link planHtn}. */
export interface HtnPlan<S> {
  /** True when the steps accomplish every root task. */
  readonly complete: boolean;
  /**
   * The best complete plan found; or, when none was found, the longest partial plan
   * (a prefix the planner could not finish), so a caller can see how far it got.
   */
  readonly steps: readonly HtnStep<S>[];
  /** The root tasks, kept for re-planning. */
  readonly tasks: readonly TaskCall[];
  readonly initial: S;
  /** Predicted state after the last step. */
  readonly final: S;
  readonly total: StepCost;
  /** `options.score` of `total` (lower is better). */
  readonly score: number;
  /** `done`: first plan found (or, with optimize, search space exhausted after finding one);
   *  `exhausted`: no decomposition works; `budget` / `deadline`: stopped early. */
  readonly stoppedBy: HtnStop;
  /** One sentence for people: what was found and why the search stopped. */
  readonly reason: string;
  readonly stats: HtnStats;
}

export interface HtnOptions {
  /** Deterministic budget: stop after this many expansions (default 20 000). */
  maxExpansions?: number;
  /** Checked every 256 expansions; return true to stop (e.g. `() => elapsed() > 50`). */
  deadline?: () => boolean;
  /**
   * Keep searching after the first plan for cheaper ones (branch and bound on `score`),
   * until the search space or the budget runs out. Pruning is sound when `score` never
   * decreases as steps are added. Default false: the first plan in method order wins,
   * which is the usual HTN reading of method order as preference.
   */
  optimize?: boolean;
  /** Scalar cost of a plan's totals, lower is better. Default: duration in seconds. */
  score?: (total: StepCost) => number;
  /** Deepest decomposition allowed before a branch counts as failed (default 5000). */
  maxDepth?: number;
}

type Agenda = { readonly call: TaskCall; readonly next: Agenda } | null;
type Chain<S> = { readonly step: HtnStep<S>; readonly prev: Chain<S>; readonly len: number } | null;

const NO_ARGS: TaskArgs = Object.freeze({});

function toArray<S>(chain: Chain<S>): HtnStep<S>[] {
  const out: HtnStep<S>[] = new Array(chain?.len ?? 0);
  for (let c = chain; c; c = c.prev) out[c.len - 1] = c.step;
  return out;
}

function push(calls: readonly TaskCall[], rest: Agenda): Agenda {
  let a = rest;
  for (let i = calls.length - 1; i >= 0; i--) a = { call: calls[i], next: a };
  return a;
}

/**
 * Plans `tasks` from `state` by depth-first, ordered decomposition (SHOP-style total-order
 * HTN): the first task on the agenda is either applied (operator) or replaced by a method's
 * subtasks; when a branch cannot be completed the planner backtracks to the next method or
 * binding. Pure and deterministic: the budget counts expansions; a wall-time deadline is
 * only used if passed in.
 */
export function planHtn<S>(domain: HtnDomain<S>, state: S, tasks: readonly TaskCall[], options: HtnOptions = {}): HtnPlan<S> {
  const maxExpansions = options.maxExpansions ?? 20_000;
  const maxDepth = options.maxDepth ?? 5000;
  const score = options.score ?? ((c: StepCost) => c.durationS);
  const optimize = options.optimize ?? false;
  let expansions = 0;
  let backtracks = 0;
  let plansFound = 0;
  let stop: HtnStop | undefined;
  let best: { chain: Chain<S>; final: S; total: StepCost; score: number } | undefined;
  let deepest: { chain: Chain<S>; final: S; total: StepCost } = { chain: null, final: state, total: { durationS: 0, energy: 0 } };
  let lastFailure = '';

  const search = (s: S, agenda: Agenda, chain: Chain<S>, total: StepCost, depth: number): boolean => {
    if (agenda === null) {
      plansFound++;
      const sc = score(total);
      if (!best || sc < best.score) best = { chain, final: s, total, score: sc };
      return !optimize;
    }
    if (expansions >= maxExpansions) {
      stop = 'budget';
      return true;
    }
    if (options.deadline && (expansions & 255) === 255 && options.deadline()) {
      stop = 'deadline';
      return true;
    }
    if (depth > maxDepth) {
      lastFailure = `decomposition deeper than ${maxDepth} (a method that re-adds its own task without progress?)`;
      return false;
    }
    expansions++;
    const { call } = agenda;
    const args = call.args ?? NO_ARGS;
    const op = domain.operators[call.task];
    if (op) {
      const why = checkPrecondition(op, call.task, s, args);
      if (why !== undefined) {
        lastFailure = why;
        return false;
      }
      const after = op.effect(s, args);
      const cost = op.cost ? op.cost(s, args) : { durationS: 0, energy: 0 };
      const step: HtnStep<S> = { task: call.task, args, label: op.label ? op.label(args) : describeTask(call), cost, before: s, after };
      const nextChain: Chain<S> = { step, prev: chain, len: (chain?.len ?? 0) + 1 };
      const nextTotal = { durationS: total.durationS + cost.durationS, energy: total.energy + cost.energy };
      if (nextChain.len > (deepest.chain?.len ?? 0)) deepest = { chain: nextChain, final: after, total: nextTotal };
      if (optimize && best && score(nextTotal) >= best.score) return false;
      return search(after, agenda.next, nextChain, nextTotal, depth + 1);
    }
    const compound = domain.compounds[call.task];
    if (!compound) {
      throw new Error(
        `HTN domain "${domain.name}": unknown task "${call.task}"; known operators: ${Object.keys(domain.operators).join(', ')}; compound tasks: ${Object.keys(domain.compounds).join(', ')}`,
      );
    }
    let tried = 0;
    for (const method of compound.methods) {
      const bindings = method.bindings ? method.bindings(s, args) : [args];
      for (const b of bindings) {
        if (method.when && !method.when(s, b)) continue;
        if (tried++ > 0) backtracks++;
        const sub = method.subtasks(s, b);
        if (search(s, push(sub, agenda.next), chain, total, depth + 1)) return true;
        if (stop) return true;
      }
    }
    if (tried === 0) lastFailure = `no method of ${describeTask(call)} applies`;
    else backtracks++;
    return false;
  };

  search(state, push(tasks, null), null, { durationS: 0, energy: 0 }, 0);
  const stats: HtnStats = { expansions, backtracks, plansFound };
  const stoppedBy: HtnStop = stop ?? (best ? 'done' : 'exhausted');
  const what = tasks.map(describeTask).join(', ');
  const chosen = best as { chain: Chain<S>; final: S; total: StepCost; score: number } | undefined;
  if (chosen) {
    const steps = toArray(chosen.chain);
    const reason =
      stoppedBy === 'done'
        ? `planned ${what}: ${steps.length} steps, ${Math.round(chosen.total.durationS)} s`
        : `planned ${what}: best of ${plansFound} plans so far (${steps.length} steps); search stopped by ${stoppedBy} after ${expansions} expansions`;
    return { complete: true, steps, tasks, initial: state, final: chosen.final, total: chosen.total, score: chosen.score, stoppedBy, reason, stats };
  }
  const steps = toArray(deepest.chain);
  const reason =
    stoppedBy === 'exhausted'
      ? `cannot plan ${what}: every decomposition fails; last failure: ${lastFailure || 'none recorded'}`
      : `no complete plan for ${what} yet: ${stoppedBy} reached after ${expansions} expansions; returning the longest partial plan (${steps.length} steps)`;
  return { complete: false, steps, tasks, initial: state, final: deepest.final, total: deepest.total, score: score(deepest.total), stoppedBy, reason, stats };
}
