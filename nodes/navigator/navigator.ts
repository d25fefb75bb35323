import { resolve } from 'node:path';
import { z } from 'zod';
import type { Json } from '../../src/contracts/ids.js';
import { type Plan, isTerminal } from '../../src/contracts/status.js';
import { defineNodeKind, type BehaviorOutput, type ChildCommand, type TaskReport } from '../../src/node/node-kind.js';
import { loadScenarioFile } from '../../sim/io/load-scenario-file.js';
import { navigatorVerbs, pilotSenseSchema, type NavigatorSense, type PilotSense, type XY } from '../rover/contracts.js';
import { emptyKnownMap, knownMapFromWorld, knownMapParamsSchema } from './known-map.js';
import { NavigatorMap } from './navigator-map.js';
import { type GotoPlanner, type PlannedPath, createGotoPlanner, pathBlocked, pathPlanView, planPath, progressIndex, remainingLength } from './path-planning.js';

const pos = () => z.number().positive();

/** Navigator parameters; defaults suit the simulator's 0.5 m grid and 0.4 m rover. */
export const navigatorParamsSchema = knownMapParamsSchema
  .extend({
    /** The pilot child (default: the only child). */
    child: z.string().optional(),
    /** Scenario file: the known map (obstacles known at start, cliffs, soft ground, slopes). Relative to the config file's folder. */
    scenario: z.string().optional(),
    /** Without a scenario: an empty map of this size. */
    map: z.object({ width: z.number().int().positive(), height: z.number().int().positive(), resolution: pos() }).strict().default({ width: 40, height: 30, resolution: 0.5 }),
    /** Planning budget per plan, in expansions (deterministic). */
    plan_expansions: z.number().int().positive().default(200_000),
    /** Wall-time budget of one plan (ms), reported against in health (real time only; 0 in virtual time). */
    plan_budget_ms: pos().default(100),
    /** Cruise speed asked of the pilot (m/s). */
    speed: pos().max(2).default(0.5),
    /** The pilot's tolerance on the last waypoint, as a share of the goto's. */
    follow_tolerance: pos().max(1).default(0.6),
    /** Pilot failures (or stalls) in a row before a goto fails. */
    max_failures: z.number().int().min(0).default(4),
    /** A periodic re-plan replaces the path only when it is this much cheaper (share of the old). */
    improve_ratio: pos().max(1).default(0.85),
    /** No 0.3 m of progress for this long is a stall: re-plan. */
    stall_s: pos().default(30),
    sample_timeout_s: pos().default(20),
    sample_retries: z.number().int().min(0).default(2),
    /** A sample is refused further than this from the target (m). */
    sample_reach_m: pos().default(1.0),
  })
  .strict();
export type NavigatorParams = z.output<typeof navigatorParamsSchema>;

interface GotoJob {
  verb: 'goto' | 'sample' | 'charge';
  taskId: string;
  /** Counter in the child command ids: a new follow (or sample attempt) gets a new one. */
  n: number;
  failures: number;
  planner?: GotoPlanner;
  path?: PlannedPath;
  plannedAt: number;
  firstLength: number;
  why: string;
  stallAt: number;
  stallPose: { x: number; y: number };
  /** After a failed sample: creep onto the target again (the pose estimate has had more fixes) before the next try. */
  approach?: boolean;
}

/** The navigator's world model. */
export interface NavigatorWorld {
  map: NavigatorMap;
  pose: { x: number; y: number; theta: number } | undefined;
  pilot: PilotSense | undefined;
  /** Cost-map cells changed since the last plan. */
  pending: Set<number>;
  dirty: boolean;
  replans: number;
  lastExpansions: number;
  totalExpansions: number;
  planningMs: number;
  job: GotoJob | undefined;
  idleN: number;
  idle: boolean;
  lastSenseAt: number;
  rejectedSenses: number;
}

/**
 * Level 3 of the rover tree: path planning on a cost map that sensing keeps up to date
 * (D* Lite repairs), commanding the pilot with `follow`, `sample` and `hold`.
 */
export const navigatorKind = defineNodeKind({
  kind: 'navigator',
  description: 'Rover navigator (level 3): occupancy map from scans, D* Lite path planning and re-planning, sample and charge.',
  params: navigatorParamsSchema,
  verbs: navigatorVerbs,
  world: (ctx): NavigatorWorld => {
    const p = ctx.params;
    const known = p.scenario ? knownMapFromWorld(loadScenarioFile(resolve(ctx.baseDir, p.scenario), ctx.random.fork('scenario')).world, p) : emptyKnownMap(p.map.width, p.map.height, p.map.resolution);
    return {
      map: new NavigatorMap(known, p.inflate_m),
      pose: undefined,
      pilot: undefined,
      pending: new Set(),
      dirty: false,
      replans: 0,
      lastExpansions: 0,
      totalExpansions: 0,
      planningMs: 0,
      job: undefined,
      idleN: 0,
      idle: false,
      lastSenseAt: Number.NEGATIVE_INFINITY,
      rejectedSenses: 0,
    };
  },
  create: (ctx) => {
    const p = ctx.params;
    const childId = p.child ?? ctx.children[0];
    if (!childId) throw new Error(`navigator ${ctx.id}: no child; give it a pilot child in the config`);
    const senseEvery = ctx.parentPeriodMs > 0 ? ctx.parentPeriodMs : ctx.periodMs;
    const replanMs = ctx.replanMs > 0 ? ctx.replanMs : ctx.periodMs;

    /** Sample and charge are one step each: the plan is that step, current as of this cycle. */
    const oneStep = (label: string, now: number): Plan => ({ steps: [{ id: 's1', label, state: 'active', child: childId }], made_at: now });

    /** Plans for the current goto; adopts the new path (a new follow id) when asked or when it is clearly better. */
    const plan = (w: NavigatorWorld, job: GotoJob, now: number, why: string, force: boolean): string | undefined => {
      const pose = w.pose!;
      const elapsed = ctx.stopwatch();
      const r = planPath(job.planner!, pose, p.plan_expansions, (m) => w.map.coreCostMap(m));
      w.planningMs = elapsed();
      w.lastExpansions = typeof r === 'string' ? job.planner!.dstar.lastExpansions : r.expansions;
      w.totalExpansions += w.lastExpansions;
      w.dirty = false;
      w.pending.clear();
      job.plannedAt = now;
      if (typeof r === 'string') return r;
      const old = job.path;
      const oldLeft = old ? remainingLength(old.waypoints, pose.x, pose.y) : Infinity;
      const newLen = remainingLength(r.waypoints, pose.x, pose.y);
      if (!old || force || old.by === 'escape' || newLen < p.improve_ratio * oldLeft) {
        if (old) w.replans++;
        job.path = r;
        job.n++;
        job.why = r.by === 'escape' ? `${why ? `${why}; ` : ''}boxed in by safety margins: leaving along the obstacles` : old ? why : `planned ${newLen.toFixed(1)} m with ${r.by === 'dstar' ? 'D* Lite' : 'A*'}`;
        if (!old) job.firstLength = newLen;
      }
      return undefined;
    };

    return {
      perceive: (input) => {
        const c = input.children[childId];
        const out: PilotSense[] = [];
        for (const s of c?.senseSinceLastCycle ?? []) {
          const r = pilotSenseSchema.safeParse(s);
          if (r.success) out.push(r.data);
        }
        return { senses: out, bad: (c?.senseSinceLastCycle.length ?? 0) - out.length };
      },
      update: (w, percept) => {
        w.rejectedSenses += percept.bad;
        for (const s of percept.senses) {
          w.pose = { x: s.x, y: s.y, theta: s.theta };
          w.pilot = s;
          if (s.scan) for (const cell of w.map.addScan(s.scan)) w.pending.add(cell);
        }
        if (w.pending.size > 0) w.dirty = true;
        return w;
      },
      behave: (w, _scores, input): BehaviorOutput => {
        const now = input.now;
        const task = input.task;
        const c = input.children[childId];
        // Sense and health are made when the cycle's decision is known, so they show this cycle's re-plan.
        const out = (status: TaskReport | undefined, command?: ChildCommand): BehaviorOutput => {
          let sense: Record<string, Json> | undefined;
          // At the mission's period, and at once when a task ends: the mission judges the next step on it.
          const ended = status !== undefined && status.state !== 'executing';
          if (w.pose && w.pilot && (ended || now - w.lastSenseAt >= senseEvery - 1e-6)) {
            w.lastSenseAt = now;
            const s: NavigatorSense = {
              x: w.pose.x,
              y: w.pose.y,
              theta: w.pose.theta,
              battery: w.pilot.battery,
              charging: w.pilot.charging,
              at_base: w.pilot.at_base,
              discovered: w.map.discovered(),
              replans: w.replans,
              path: w.job?.path?.waypoints ?? [],
            };
            sense = s as unknown as Record<string, Json>;
          }
          const job = w.job;
          const health: Record<string, Json> = {
            replans: w.replans,
            planning_ms: w.planningMs,
            planning_budget_ms: p.plan_budget_ms,
            map_changed_since_plan: Boolean(job?.path && w.dirty),
            plan_expansions: w.lastExpansions,
            total_expansions: w.totalExpansions,
            discovered: w.map.discoveredCount,
            rejected_senses: w.rejectedSenses,
          };
          return { status, commands: command ? { [childId]: command } : undefined, sense, health };
        };
        if (!task) {
          w.job = undefined;
          if (!w.idle) {
            w.idle = true;
            w.idleN++;
          }
          return out(undefined, { id: `idle${w.idleN}`, verb: 'hold', args: {} });
        }
        w.idle = false;
        if (!w.job || w.job.taskId !== task.id) {
          w.job = { verb: task.verb, taskId: task.id, n: 0, failures: 0, plannedAt: now, firstLength: 0, why: '', stallAt: now, stallPose: w.pose ?? { x: 0, y: 0 } };
        }
        const j = w.job;
        const mine = c?.command && c.command.id.startsWith(`${task.id}.`) ? c.command : undefined;
        if (!w.pose || !w.pilot) return out({ state: 'executing', progress: 0, reason: `waiting for the first sensation from ${childId}` });
        const pose = w.pose;

        if (task.verb === 'charge') {
          const until = task.args.until;
          if (w.pilot.battery >= until) return out({ state: 'done', progress: 1, reason: `battery ${pct(w.pilot.battery)} >= ${pct(until)}` });
          // The pilot's report may be a period old when the goto to the base ends: give it a few seconds.
          if (!w.pilot.at_base && now - task.receivedAt > 3000) return out({ state: 'failed', reason: `cannot charge at (${pose.x.toFixed(1)}, ${pose.y.toFixed(1)}): the rover is not at the base; goto the base first` });
          const reason = `${w.pilot.charging ? 'charging' : 'waiting for the charger'}: ${pct(w.pilot.battery)} of ${pct(until)}`;
          return out({ state: 'executing', progress: w.pilot.battery / until, reason, plan: oneStep(`charge to ${pct(until)}`, now) }, { id: `${task.id}.hold`, verb: 'hold', args: {} });
        }

        if (task.verb === 'sample') {
          const d = Math.hypot(task.args.x - pose.x, task.args.y - pose.y);
          const id = `${task.id}.s${j.n}`;
          if (mine?.id === id && mine.state === 'done') return out({ state: 'done', progress: 1, reason: `sampled ${task.args.target}` });
          if (mine?.id === id && isTerminal(mine.state as never)) {
            if (j.n >= p.sample_retries) return out({ state: 'failed', reason: `sampling ${task.args.target} failed ${j.n + 1} times; last: ${mine.reason}` });
            j.n++;
            j.approach = true;
          }
          if (j.approach) {
            // The sampler wants the rover within its reach of the target; a miss is most often
            // pose error. Creep onto the target slowly, with the fixes gathered since, then retry.
            const aid = `${task.id}.a${j.n}`;
            if (mine?.id === aid && isTerminal(mine.state as never)) j.approach = false;
            else {
              const reason = `re-approaching ${task.args.target} before sampling again (${mine?.reason ?? 'last sample failed'})`;
              return out({ state: 'executing', progress: 0, reason, plan: oneStep(reason, now) }, { id: aid, verb: 'follow', args: { path: [[pose.x, pose.y], [task.args.x, task.args.y]], speed: 0.15, tolerance: 0.1 } });
            }
          } else if (mine?.id !== id && d > p.sample_reach_m) {
            return out({ state: 'failed', reason: `the rover is ${d.toFixed(2)} m from ${task.args.target}, beyond sample_reach_m (${p.sample_reach_m} m); goto it first` });
          }
          const reason = `sampling ${task.args.target}`;
          return out({ state: 'executing', progress: mine?.progress ?? 0, reason, plan: oneStep(reason, now) }, { id: `${task.id}.s${j.n}`, verb: 'sample', args: { timeout_s: p.sample_timeout_s } });
        }

        // goto
        const goal = { x: task.args.x, y: task.args.y };
        const tol = task.args.tolerance;
        const dGoal = Math.hypot(goal.x - pose.x, goal.y - pose.y);
        const label = task.args.label ? `${task.args.label} (${goal.x}, ${goal.y})` : `(${goal.x}, ${goal.y})`;
        if (dGoal <= tol && (j.n === 0 || mine?.state === 'done' || dGoal <= tol / 2)) return out({ state: 'done', progress: 1, reason: `reached ${label}, ${dGoal.toFixed(2)} m off` });
        // The pilot tracks on a fresher pose than its last report: its done on a path ending at the goal is the goal reached.
        if (mine?.id === followId(task.id, j.n) && mine.state === 'done' && j.planner) {
          if (j.planner.exactGoal) return out({ state: 'done', progress: 1, reason: `reached ${label} (the pilot is within ${round2(tol * p.follow_tolerance)} m of it)` });
          return out({ state: 'failed', reason: `cannot get closer than ${dGoal.toFixed(2)} m to ${label}: it lies in the safety margin of an obstacle or hazard (inflate_m, cliff_inflate_m)` });
        }
        if (!j.planner) {
          const g = createGotoPlanner(w.map.cost, pose, goal, tol);
          if (typeof g === 'string') return out({ state: 'failed', reason: `cannot go to ${label}: ${g}` });
          j.planner = g;
          w.pending.clear();
          const err = plan(w, j, now, '', true);
          if (err) return out({ state: 'failed', reason: `no path to ${label}: ${err}; ${w.map.discoveredCount} obstacle cells discovered so far` });
        } else {
          let why: string | undefined;
          const changed = w.pending.size > 0;
          if (changed) j.planner.dstar.cellsChanged(w.pending);
          w.pending.clear();
          const path = j.path!;
          const blocked = changed && pathBlocked(w.map.cost, path.cells, progressIndex(w.map.cost, path.cells, pose.x, pose.y));
          if (blocked) why = 'newly sensed obstacles block the path';
          else if (mine && mine.id === followId(task.id, j.n) && isTerminal(mine.state as never)) {
            j.failures++;
            why = mine.state === 'done' ? `the pilot finished ${dGoal.toFixed(2)} m short of the goal` : `the pilot ${mine.state} the path: ${mine.reason}`;
          } else if (now - j.stallAt >= p.stall_s * 1000) {
            j.failures++;
            j.stallAt = now;
            why = `no progress for ${p.stall_s} s`;
          }
          if (j.failures > p.max_failures) return out({ state: 'failed', reason: `gave up on ${label} after ${j.failures} failed attempts; last: ${why}` });
          // Re-plan at once when the path is blocked or the pilot gave up, and at least every
          // re-plan interval anyway (D* Lite repairs only what changed; the path is replaced
          // only when the new one is clearly shorter, so the pilot is not kept turning).
          if (why || now - j.plannedAt >= replanMs) {
            const err = plan(w, j, now, why ?? (w.dirty ? 'the map changed' : 'periodic re-plan'), why !== undefined);
            if (err) return out({ state: 'failed', reason: `no path to ${label} any more: ${err}; ${w.map.discoveredCount} obstacle cells discovered so far` });
          }
        }
        if (Math.hypot(pose.x - j.stallPose.x, pose.y - j.stallPose.y) >= 0.3) {
          j.stallAt = now;
          j.stallPose = { x: pose.x, y: pose.y };
        }
        const path = j.path!;
        const left = remainingLength(path.waypoints, pose.x, pose.y);
        const scores = { cost_m: round2(path.cost), length_m: round2(left), expansions: path.expansions, replans: w.replans };
        const reason = `${j.why}; ${left.toFixed(1)} m to ${label}`;
        const status: TaskReport = {
          state: 'executing',
          progress: j.firstLength > 0 ? Math.max(0, Math.min(0.99, 1 - left / j.firstLength)) : 0,
          reason,
          plan: pathPlanView(path.waypoints, pose.x, pose.y, { reason, madeAt: j.plannedAt, scores, child: childId }),
        };
        const follow = { path: path.waypoints, speed: p.speed, tolerance: round2(Math.max(0.05, tol * p.follow_tolerance)) };
        return out(status, { id: followId(task.id, j.n), verb: 'follow', args: follow });
      },
    };
  },
});
export default navigatorKind;

function followId(taskId: string, n: number): string {
  return `${taskId}.f${n}`;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

export type { XY };
