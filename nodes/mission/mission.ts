import { resolve } from 'node:path';
import type { Json } from '../../src/contracts/ids.js';
import { type PlanStep, isTerminal } from '../../src/contracts/status.js';
import { type ChargeDecision, shouldReturnToCharge } from '../../src/judgment/return-to-charge.js';
import { defineNodeKind, type BehaviorOutput, type ChildCommand, type TaskReport } from '../../src/node/node-kind.js';
import { type HtnPlan, type HtnStep, planHtn } from '../../src/planning/htn/htn-planner.js';
import { repairPlan } from '../../src/planning/htn/plan-monitor.js';
import { planView } from '../../src/planning/htn/plan-view.js';
import { type RoverState, roverMission } from '../../src/planning/htn/rover-domain.js';
import type { TaskCall } from '../../src/planning/htn/htn-domain.js';
import { loadScenarioFile } from '../../sim/io/load-scenario-file.js';
import { missionVerbs, navigatorSenseSchema, type NavigatorSense } from '../rover/contracts.js';
import { type MissionModel, type MissionParams, createMissionModel, missionParamsSchema } from './mission-model.js';

export { missionParamsSchema } from './mission-model.js';

/** One explore task's progress. */
interface Job {
  taskId: string;
  state: RoverState;
  plan: HtnPlan<RoverState>;
  step: number;
  /** Command counter: every command to the navigator gets a new id. */
  n: number;
  /** The current step's command id, once commanded. */
  cmd: string | undefined;
  /** Recharge away from the base drives there first (phase 0), then charges (phase 1). */
  phase: number;
  history: PlanStep[];
  replans: number;
  reason: string;
  madeAt: number;
  /** When the plan was last checked against the world model (it counts as re-made then: the timing contract's `made_at`). */
  checkedAt: number;
  failures: Record<string, number>;
  /** The step value judgment already weighed (so a choice to continue is not re-weighed every cycle). */
  judgedStep: number;
  /** The command of the step under way, given again every cycle (the runtime sends only changes). */
  command: ChildCommand | undefined;
  total: number;
  failureCount: number;
}

/** Value judgment's verdict on the step about to start. */
interface Judged {
  readonly plan: HtnPlan<RoverState>;
  readonly step: number;
  readonly decision: ChargeDecision;
}

/** The mission's world model: the known places and rover model, and the navigator's latest report. */
export interface MissionWorld {
  model: MissionModel;
  nav: NavigatorSense | undefined;
  job: Job | undefined;
  lastSenseAt: number;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Level 4 of the rover tree: an HTN plan of the whole mission (visit and sample the
 * targets, recharge in time, come home), executed step by step through the navigator,
 * monitored and repaired, with value judgment on returning to charge.
 */
export const missionKind = defineNodeKind({
  kind: 'mission',
  description: 'Rover mission (level 4): HTN plan of the sampling tour with recharges; plan monitoring, repair and charge decisions.',
  params: missionParamsSchema,
  verbs: missionVerbs,
  world: (ctx): MissionWorld => {
    const scenario = ctx.params.scenario ? loadScenarioFile(resolve(ctx.baseDir, ctx.params.scenario), ctx.random.fork('scenario')) : undefined;
    return { model: createMissionModel(ctx.params, scenario), nav: undefined, job: undefined, lastSenseAt: Number.NEGATIVE_INFINITY };
  },
  create: (ctx) => {
    const p: MissionParams = ctx.params;
    const childId = p.child ?? ctx.children[0];
    if (!childId) throw new Error(`mission ${ctx.id}: no child; give it a navigator child in the config`);
    const senseEvery = ctx.periodMs;

    const battery = (w: MissionWorld): number => w.nav?.battery ?? w.model.initialBattery;
    const here = (w: MissionWorld): string => {
      const at = w.nav ?? w.model.start;
      return w.model.setHere(at.x, at.y, w.model.baseRadius);
    };
    const plan = (w: MissionWorld, state: RoverState, tasks: readonly TaskCall[]): HtnPlan<RoverState> => {
      const first = planHtn(w.model.domain, state, tasks, { maxExpansions: p.plan_expansions });
      if (first.complete || state.position === state.base) return first;
      // Stranded away from a charger with too little to go on: head home and charge first.
      const home = planHtn(w.model.domain, state, [{ task: 'navigate', args: { to: state.base } }, { task: 'recharge' }, ...tasks], { maxExpansions: p.plan_expansions });
      return home.complete ? home : first;
    };
    /** Adopts a new plan from the current state; the old plan's finished steps stay in the history. */
    const adopt = (w: MissionWorld, job: Job, next: HtnPlan<RoverState>, why: string, now: number, failed?: string): void => {
      job.history.push(...planView(job.plan, { current: job.step }).steps.slice(0, job.step));
      if (failed) job.history.push({ id: 'f', label: failed, state: 'failed', child: childId });
      job.plan = next;
      job.step = 0;
      job.cmd = undefined;
      job.phase = 0;
      job.replans++;
      job.reason = why;
      job.madeAt = now;
      job.checkedAt = now;
      job.judgedStep = -1;
      job.command = undefined;
      ctx.log.info(`mission re-planned: ${why}`);
    };
    const current = (w: MissionWorld, job: Job, fromHere: boolean): RoverState => ({
      ...job.state,
      position: fromHere ? here(w) : job.state.position,
      battery: battery(w),
    });
    const commandFor = (w: MissionWorld, job: Job, step: HtnStep<RoverState>, taskId: string): ChildCommand | undefined => {
      const id = `${taskId}.${job.n}`;
      const a = step.args;
      if (step.task === 'navigate') {
        const to = String(a.to);
        const at = w.model.places[to];
        const tolerance = to === job.state.base ? p.base_tolerance : p.target_tolerance;
        return { id, verb: 'goto', args: { x: at.x, y: at.y, tolerance, label: to } };
      }
      if (step.task === 'sample') {
        const at = w.model.places[String(a.target)];
        return { id, verb: 'sample', args: { target: String(a.target), x: at.x, y: at.y } };
      }
      if (step.task === 'recharge') {
        const atBase = job.state.position === job.state.base || w.nav?.at_base === true;
        if (job.phase === 0 && !atBase) {
          const b = w.model.places.base;
          return { id, verb: 'goto', args: { x: b.x, y: b.y, tolerance: p.base_tolerance, label: 'base' } };
        }
        job.phase = 1;
        return { id, verb: 'charge', args: { until: p.charge_until } };
      }
      return undefined; // drop, skip: nothing for the navigator to do
    };

    return {
      perceive: (input) => {
        const s = input.children[childId]?.sense;
        const r = s ? navigatorSenseSchema.safeParse(s) : undefined;
        return r?.success ? r.data : undefined;
      },
      update: (w, nav) => {
        if (nav) w.nav = nav;
        return w;
      },
      // Value judgment: return to charge before the next leg, or go on?
      judge: (w): Judged | undefined => {
        const job = w.job;
        const step = job?.plan.steps[job.step];
        if (!job || !step || job.cmd || step.task !== 'navigate' || step.args.to === job.state.base) return undefined;
        const to = String(step.args.to);
        const sampleNext = job.plan.steps[job.step + 1]?.task === 'sample';
        const m = w.model.rover;
        const energy = step.cost.energy + (sampleNext ? m.sampleEnergy : 0);
        const decision = shouldReturnToCharge({
          battery: battery(w),
          reserve: p.reserve,
          toCharger: w.model.distance(job.state.position, job.state.base),
          next: { durationS: step.cost.durationS + (sampleNext ? m.sampleS : 0), energy, endToCharger: w.model.distance(to, job.state.base) },
          model: { speed: m.speed, energyPerMetre: m.energyPerMetre, rechargeRate: m.rechargeRate },
          weights: p.weights,
        });
        return { plan: job.plan, step: job.step, decision };
      },
      behave: (w, judged, input): BehaviorOutput => {
        const task = input.task;
        const now = input.now;
        const sense = (job: Job | undefined, label: string): Record<string, Json> | undefined => {
          if (now - w.lastSenseAt < senseEvery - 1e-6) return undefined;
          w.lastSenseAt = now;
          const done = job ? job.state.carrying.length + job.state.delivered.length : 0;
          return { targets_done: done, targets_total: job?.total ?? 0, skipped: job ? job.state.skipped.length : 0, battery: Math.round(battery(w) * 1000) / 1000, step: label, replans: job?.replans ?? 0 };
        };
        if (!task) {
          w.job = undefined;
          return { sense: sense(undefined, 'idle') };
        }
        if (!w.job || w.job.taskId !== task.id) {
          const names = task.args.targets ?? w.model.targetNames;
          const unknown = names.filter((n) => !w.model.targetNames.includes(n));
          if (unknown.length) return { status: { state: 'failed', reason: `unknown targets ${unknown.join(', ')}; known: ${w.model.targetNames.join(', ') || '(none)'}` } };
          const state: RoverState = { position: here(w), battery: battery(w), base: 'base', chargers: [], targets: [...names], carrying: [], delivered: [], skipped: [], capacity: Math.max(1, names.length) };
          const first = plan(w, state, [roverMission]);
          if (!first.complete) return { status: { state: 'failed', reason: `cannot plan the mission: ${first.reason}` } };
          w.job = { taskId: task.id, state, plan: first, step: 0, n: 0, cmd: undefined, phase: 0, history: [], replans: 0, reason: first.reason, madeAt: now, checkedAt: now, failures: {}, judgedStep: -1, command: undefined, total: names.length, failureCount: 0 };
        }
        const job = w.job;
        const nav = input.children[childId];
        const decision = judged && judged.plan === job.plan && judged.step === job.step ? judged.decision : undefined;
        const b = battery(w);
        const fail = (reason: string): BehaviorOutput => ({ status: { state: 'failed', reason, plan: view(job, true) }, sense: sense(job, 'failed'), health: health(job) });
        const view = (j: Job, failed = false) => {
          const v = planView(j.plan, { current: j.step, failed, childOf: (t) => (t === 'navigate' || t === 'sample' || t === 'recharge' ? childId : undefined), madeAt: j.checkedAt, scores: scoresOf(j, decision) });
          const steps = v.steps.map((s, i) => (j.plan.steps[i]?.task === 'skip' && s.state === 'done' ? { ...s, state: 'skipped' as const } : s));
          return { ...v, steps: [...j.history.map((s, i) => ({ ...s, id: `h${i + 1}` })), ...steps], reason: j.reason };
        };
        const health = (j: Job): Record<string, Json> => ({ replans: j.replans, plan_made_at: j.madeAt, plan_expansions: j.plan.stats.expansions, targets_left: j.state.targets.length, battery_predicted: Math.round((j.plan.steps[j.step]?.before.battery ?? j.plan.final.battery) * 1000) / 1000 });

        if (b <= p.exhausted_below && !w.nav?.charging) return fail(`battery exhausted (${pct(b)}) away from the charger`);
        for (let guard = 0; guard < 8; guard++) {
          const step = job.plan.steps[job.step];
          if (!step) {
            // Every plan ends by driving to the base, and the navigator confirmed it within tolerance.
            const done = job.state.delivered.length + job.state.carrying.length;
            const skipped = job.state.skipped.length ? `; skipped ${job.state.skipped.join(', ')}` : '';
            return { status: { state: 'done', progress: 1, reason: `sampled ${done} of ${done + job.state.skipped.length} targets and back at the base${skipped}`, plan: view(job) }, sense: sense(job, 'done'), health: health(job) };
          }
          if (job.cmd !== undefined) {
            const mine = nav?.command?.id === job.cmd ? nav.command : undefined;
            if (mine?.state === 'done') {
              if (step.task === 'recharge' && job.phase === 0) {
                job.phase = 1;
                job.n++;
                job.cmd = undefined;
                const cmd = commandFor(w, job, step, task.id)!;
                job.cmd = cmd.id;
                job.command = cmd;
                return executing(step);
              }
              finishStep(job, step, b);
              continue;
            }
            if (mine && isTerminal(mine.state as never)) {
              const what = String(step.args.to ?? step.args.target ?? step.task);
              job.failures[what] = (job.failures[what] ?? 0) + 1;
              job.failureCount++;
              const failedLabel = step.label;
              if (job.failureCount > p.max_failures) return fail(`gave up after ${job.failureCount} failed steps; last: ${step.label} ${mine.state}: ${mine.reason}`);
              const why = `step ${step.label} ${mine.state}: ${mine.reason}`;
              if (what === job.state.base && job.failures[what] >= p.max_base_failures) return fail(`the navigator cannot reach the base: ${mine.reason}`);
              const state = current(w, job, true);
              if (what !== job.state.base && job.state.targets.includes(what) && job.failures[what] >= p.max_target_failures) {
                job.state = { ...state, targets: state.targets.filter((t) => t !== what), skipped: [...state.skipped, what] };
                job.history.push({ id: 'x', label: `skip ${what} after ${job.failures[what]} failures: ${mine.reason}`, state: 'skipped' });
              } else job.state = state;
              const next = plan(w, job.state, [roverMission]);
              if (!next.complete) return fail(`${why}; and no new plan: ${next.reason}`);
              adopt(w, job, next, `${why}; re-planned from here`, now, failedLabel);
              continue;
            }
          }
          // Plan monitoring, every cycle: before a step starts (battery against the prediction,
          // every remaining precondition) and while it runs (can the rest still be done?).
          const started = job.cmd !== undefined;
          const r = repairPlan(w.model.domain, {
            plan: job.plan,
            step: job.step,
            // Mid-step, from where the rover is now (the rest of the leg, not all of it).
            state: current(w, job, started),
            started,
            diverged: (pred, act) => (act.battery < pred.battery - p.battery_tolerance ? `battery ${pct(act.battery)} is below the predicted ${pct(pred.battery)}` : undefined),
          }, { maxExpansions: p.plan_expansions, tasks: [roverMission] });
          job.checkedAt = now;
          if (r.replanned) {
            // Mid-step the rover is somewhere between places: plan from where it is.
            const next = r.plan.complete && !started ? r.plan : plan(w, current(w, job, started), [roverMission]);
            if (!next.complete) return fail(`plan broke and cannot be repaired: ${r.reason}`);
            adopt(w, job, next, r.reason, now);
            continue;
          }
          if (!started) {
            if (decision?.returnNow && job.judgedStep !== job.step) {
              job.judgedStep = job.step;
              const home = plan(w, current(w, job, false), [{ task: 'navigate', args: { to: job.state.base } }, { task: 'recharge' }, roverMission]);
              if (home.complete) {
                adopt(w, job, home, `value judgment: ${decision.why}`, now);
                continue;
              }
            }
            job.judgedStep = job.step;
            job.n++;
            const cmd = commandFor(w, job, step, task.id);
            if (!cmd) {
              finishStep(job, step, b);
              continue;
            }
            job.cmd = cmd.id;
            job.command = cmd;
            return executing(step);
          }
          return executing(step);
        }
        return executing(job.plan.steps[job.step]);

        function executing(step: HtnStep<RoverState> | undefined): BehaviorOutput {
          const command = job.command;
          const total = Math.max(1, job.history.length + job.plan.steps.length);
          const status: TaskReport = {
            state: 'executing',
            progress: Math.min(0.99, (job.history.length + job.step) / total),
            reason: `${step?.label ?? 'finishing'} (${pct(b)}); ${job.reason}`,
            plan: view(job),
          };
          return { status, commands: command ? { [childId]: command } : undefined, sense: sense(job, step?.label ?? ''), health: health(job) };
        }
      },
    };
  },
});
export default missionKind;

/** The step ended well: the model moves on to the state the step predicted, with the sensed battery. */
function finishStep(job: Job, step: HtnStep<RoverState>, battery: number): void {
  job.state = { ...step.after, battery };
  job.step++;
  job.cmd = undefined;
  job.phase = 0;
}

function scoresOf(job: Job, decision: ChargeDecision | undefined): Record<string, number> {
  const s: Record<string, number> = { plan_time_s: Math.round(job.plan.total.durationS), plan_energy: Math.round(job.plan.total.energy * 1000) / 1000, final_battery: Math.round(job.plan.final.battery * 1000) / 1000 };
  if (decision) for (const [k, v] of Object.entries(decision.judgment.scores)) s[k] = v;
  return s;
}
