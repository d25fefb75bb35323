import type { Plan, PlanStep } from '../../contracts/status.js';
import type { HtnPlan } from './htn-planner.js';

export interface PlanViewOptions {
  /** Index of the step under way (steps before it are shown done). Default 0. */
  current?: number;
  /** The current step failed (shown `failed` instead of `active`). */
  failed?: boolean;
  /** The child each step is commanded to, if the node knows it. */
  childOf?: (task: string) => string | undefined;
  /** Value-judgment scores behind the plan, shown with it. */
  scores?: Record<string, number>;
  /** Clock time the plan was made. */
  madeAt?: number;
}

/**
 * The plan as the wire contract shows it (`status.plan`, retained), so a viewer can draw
 * the steps and their states. Step ids are their positions (`s1`, `s2`, ...).
 */
export function planView<S>(plan: HtnPlan<S>, options: PlanViewOptions = {}): Plan {
  const current = options.current ?? 0;
  const steps: PlanStep[] = plan.steps.map((s, i) => {
    const state: PlanStep['state'] = i < current ? 'done' : i === current ? (options.failed ? 'failed' : 'active') : 'pending';
    const child = options.childOf?.(s.task);
    return child === undefined ? { id: `s${i + 1}`, label: s.label, state } : { id: `s${i + 1}`, label: s.label, state, child };
  });
  const view: Plan = { steps, reason: plan.reason };
  if (options.scores) view.scores = options.scores;
  if (options.madeAt !== undefined) view.made_at = options.madeAt;
  return view;
}
