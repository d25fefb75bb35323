import { type HtnDomain, type TaskCall, checkPrecondition } from './htn-domain.js';
import { type HtnOptions, type HtnPlan, planHtn } from './htn-planner.js';

/** How the world left the plan behind. */
export type DivergenceKind =
  /** The child executing the current step reported failure. */
  | 'step-failed'
  /** The current step cannot start from the current state. */
  | 'precondition'
  /** A later step would fail when the plan is played forward from the current state. */
  | 'future-precondition'
  /** The state is not what the plan predicted (judged by the caller's `diverged` check). */
  | 'state-diverged';

export interface Divergence {
  readonly kind: DivergenceKind;
  /** Index of the step where the plan breaks. */
  readonly step: number;
  /** One sentence for people and the node's status. */
  readonly reason: string;
}

export interface MonitorInput<S> {
  readonly plan: HtnPlan<S>;
  /** Index of the current step: the one running (when `started`) or the next to start. */
  readonly step: number;
  /** The world model's current state. */
  readonly state: S;
  /** True when the current step has been commanded and is under way. Default false. */
  readonly started?: boolean;
  /** The reason a child gave for failing the current step; makes the check report `step-failed`. */
  readonly failed?: string;
  /** How many steps to play forward from the current state (default: all remaining). */
  readonly lookahead?: number;
  /**
   * Compares the state the plan predicted at the start of the current step with the
   * actual one; return a reason when they differ by more than the domain tolerates (e.g.
   * battery 20 % below prediction). Only called when the step has not started.
   */
  readonly diverged?: (predicted: S, actual: S) => string | undefined;
}

/**
 * Checks a plan against the world: did the current step fail, and can the remaining steps
 * still run when played forward from the current state? Returns undefined while the plan
 * holds. Pure: calls only the domain's preconditions and effects.
 */
export function checkPlan<S>(domain: HtnDomain<S>, input: MonitorInput<S>): Divergence | undefined {
  const { plan, step, state } = input;
  const steps = plan.steps;
  if (step >= steps.length) return undefined;
  const current = steps[step];
  if (input.failed !== undefined) {
    return { kind: 'step-failed', step, reason: `step ${step + 1} (${current.label}) failed: ${input.failed}` };
  }
  if (!input.started && input.diverged) {
    const why = input.diverged(current.before, state);
    if (why !== undefined) return { kind: 'state-diverged', step, reason: `before step ${step + 1} (${current.label}): ${why}` };
  }
  const last = Math.min(steps.length, step + (input.lookahead ?? steps.length));
  let sim = state;
  for (let k = step; k < last; k++) {
    const s = steps[k];
    const op = domain.operators[s.task];
    if (!op) {
      throw new Error(`checkPlan: step ${k + 1} names "${s.task}", which is not an operator of domain "${domain.name}"; was the plan made with another domain?`);
    }
    // A running step's precondition was checked when it started; predict its end instead.
    if (!(k === step && input.started)) {
      const why = checkPrecondition(op, s.task, sim, s.args);
      if (why !== undefined) {
        return k === step
          ? { kind: 'precondition', step: k, reason: `step ${k + 1} (${s.label}) cannot start: ${why}` }
          : { kind: 'future-precondition', step: k, reason: `step ${k + 1} (${s.label}) would fail from the current state: ${why}` };
      }
    }
    sim = op.effect(sim, s.args);
  }
  return undefined;
}

/** What {@link repairPlan} decided. */
export interface RepairResult<S> {
  /** Undefined when the plan still holds (then `plan` is the input plan). */
  readonly divergence: Divergence | undefined;
  /** The plan to follow: the old one, or a new one made from the current state. */
  readonly plan: HtnPlan<S>;
  /** True when a new plan was made. */
  readonly replanned: boolean;
  /** One sentence for the node's status: why the plan was kept or remade, and the outcome. */
  readonly reason: string;
}

/**
 * Plan monitoring and repair: checks the plan with {@link checkPlan}, and when it no longer
 * holds, plans the root tasks again from the current state (or `tasks`, when the caller
 * knows better what remains). The new plan starts at step 0.
 */
export function repairPlan<S>(domain: HtnDomain<S>, input: MonitorInput<S>, options: HtnOptions & { tasks?: readonly TaskCall[] } = {}): RepairResult<S> {
  const divergence = checkPlan(domain, input);
  if (!divergence) return { divergence, plan: input.plan, replanned: false, reason: 'plan holds' };
  const plan = planHtn(domain, input.state, options.tasks ?? input.plan.tasks, options);
  const outcome = plan.complete ? `re-planned: ${plan.steps.length} steps` : `re-planning failed: ${plan.reason}`;
  return { divergence, plan, replanned: true, reason: `${divergence.reason}; ${outcome}` };
}
