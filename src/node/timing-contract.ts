import type { Json } from '../contracts/ids.js';
import type { Logger } from '../log/logger.js';
import type { BehaviorOutput } from './node-kind.js';

/**
 * A layer's timing contract (4D/RCS: re-plan within about a tenth of the horizon): a
 * plan older than the re-plan interval while the task runs is stale, and a planning
 * step over its budget is counted. Both go into `health.detail`.
 */
export class TimingContract {
  private planMadeAt: number | undefined;
  private stalePlans = 0;
  private planStale = false;
  private overBudget = 0;

  constructor(
    private readonly replanMs: number,
    private readonly log: Logger,
  ) {}

  /** Reads one cycle's output: the plan's `made_at`, and `planning_ms` against `planning_budget_ms`. */
  observe(out: BehaviorOutput, now: number, taskActive: boolean): void {
    const ms = out.health?.planning_ms;
    const budget = out.health?.planning_budget_ms;
    if (typeof ms === 'number' && typeof budget === 'number' && ms > budget) this.overBudget++;
    const madeAt = out.status?.plan?.made_at;
    if (typeof madeAt === 'number') this.planMadeAt = madeAt;
    if (!taskActive) {
      this.planMadeAt = undefined;
      this.planStale = false;
      return;
    }
    const stale = this.planMadeAt !== undefined && this.replanMs > 0 && now - this.planMadeAt > this.replanMs;
    if (stale && !this.planStale) {
      this.stalePlans++;
      this.log.warn(`plan is ${Math.round(now - this.planMadeAt!)} ms old, older than the re-plan interval (${this.replanMs} ms)`);
    }
    this.planStale = stale;
  }

  /** Figures for `health.detail`. */
  detail(now: number): Record<string, Json> {
    const d: Record<string, Json> = {};
    if (this.planMadeAt !== undefined) {
      d.plan_age_ms = Math.round(now - this.planMadeAt);
      d.plan_stale = this.planStale;
    }
    if (this.stalePlans > 0) d.stale_plans = this.stalePlans;
    if (this.overBudget > 0) d.planning_over_budget = this.overBudget;
    return d;
  }
}
