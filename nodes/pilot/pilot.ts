import { resolve } from 'node:path';
import { z } from 'zod';
import { loadScenarioFile } from '../../sim/io/load-scenario-file.js';
import type { Json } from '../../src/contracts/ids.js';
import { isTerminal } from '../../src/contracts/status.js';
import { defineNodeKind, type BehaviorOutput, type ChildCommand, type ChildView } from '../../src/node/node-kind.js';
import { pilotVerbs, type PilotSense } from '../rover/contracts.js';
import { type PoseTrack, createPoseTrack, poseSd, resetOdometry, trackPose } from './pose-tracker.js';
import { clearanceAhead, pursue, rayAngles, scanToWorld } from './pure-pursuit.js';

const pos = () => z.number().positive();

/** Pilot parameters; every one has a default that matches the simulator's rover. */
export const pilotParamsSchema = z
  .object({
    /** The reflex child to drive (default: the only child). */
    child: z.string().optional(),
    /** Known start pose; without it the pose starts at the scenario's start, else at the first position fix. */
    start: z.object({ x: z.number(), y: z.number(), theta: z.number().default(0) }).strict().optional(),
    /** Scenario file (relative to the tree's config): the surveyed start pose the rover is placed at. */
    scenario: z.string().optional(),
    /** Range-finder geometry (the rover's `range` point): rays spread over fov_deg from the right edge. */
    rays: z.object({ count: z.number().int().min(1).default(16), fov_deg: pos().max(360).default(180), max_m: pos().default(5) }).strict().prefault({}),
    wheel_base: pos().default(0.4),
    slip: pos().default(0.03),
    fix_sd: pos().default(0.25),
    heading_sd: pos().default(0.02),
    lookahead_m: pos().default(0.6),
    max_v: pos().default(0.5),
    max_w: pos().default(1.2),
    max_lat_accel: pos().default(0.4),
    turn_in_place_deg: pos().max(180).default(60),
    approach_gain: pos().default(0.8),
    min_v: pos().default(0.08),
    /** Clear distance ahead: no forward motion below stop_m, full speed above slow_m. */
    stop_m: pos().default(0.4),
    slow_m: pos().default(1.2),
    /** Half the width of the corridor the rover sweeps (radius plus margin). */
    half_width_m: pos().default(0.3),
    /** Sampling: stand still this long before raising the sampler; fail if it has not started this long after. */
    settle_s: pos().default(0.5),
    sample_start_s: pos().default(2),
    /** New drive commands after the reflex ends one, before the task fails. */
    max_retries: z.number().int().min(0).default(3),
  })
  .strict()
  .refine((p) => p.stop_m < p.slow_m, { message: 'stop_m must be less than slow_m', path: ['stop_m'] });
export type PilotParams = z.output<typeof pilotParamsSchema>;

/** Per-task progress of behavior generation. */
interface Job {
  taskId: string;
  serial: number;
  attempt: number;
  index: number;
  phase: 'settle' | 'raise';
  phaseAt: number;
  sawSampling: boolean;
  outcome: { ok: boolean; why: string } | undefined;
}

/** The pilot's world model: pose estimate, latest reflex values, the task's progress. */
export interface PilotWorld {
  track: PoseTrack;
  session: number | undefined;
  latest: Readonly<Record<string, Json>>;
  range: Array<number | null> | undefined;
  rangeAt: number;
  job: Job | undefined;
  idleN: number;
  idle: boolean;
  lastSenseAt: number;
  trackingError: number;
  limit: string;
}

const SAFETY_OWNERS = new Set(['estop', 'hazard', 'bump', 'avoid', 'watchdog']);

/**
 * Level 2 of the rover tree: tracks the navigator's waypoints (pure pursuit) on an EKF
 * pose from odometry, compass and position fixes, and commands the reflex with `drive`.
 */
export const pilotKind = defineNodeKind({
  kind: 'pilot',
  description: 'Rover pilot (level 2): EKF pose, pure-pursuit path tracking, hold and sample; drives the reflex layer.',
  params: pilotParamsSchema,
  verbs: pilotVerbs,
  world: (ctx): PilotWorld => ({
    track: createPoseTrack(ctx.params.start ?? (ctx.params.scenario ? loadScenarioFile(resolve(ctx.baseDir, ctx.params.scenario), ctx.random.fork('scenario')).world.start : undefined)),
    session: undefined,
    latest: {},
    range: undefined,
    rangeAt: Number.NEGATIVE_INFINITY,
    job: undefined,
    idleN: 0,
    idle: false,
    lastSenseAt: Number.NEGATIVE_INFINITY,
    trackingError: 0,
    limit: '',
  }),
  create: (ctx) => {
    const p = ctx.params;
    const childId = p.child ?? ctx.children[0];
    if (!childId) throw new Error(`pilot ${ctx.id}: no child to drive; give it a reflex child in the config`);
    const angles = rayAngles(p.rays.count, p.rays.fov_deg);
    const tracker = { wheelBase: p.wheel_base, slip: p.slip, fixSd: p.fix_sd, headingSd: p.heading_sd };
    const pursuit = { ...p, turn_in_place_rad: (p.turn_in_place_deg * Math.PI) / 180 };
    const refreshMs = 2 * ctx.periodMs;
    const senseEvery = ctx.parentPeriodMs > 0 ? ctx.parentPeriodMs : ctx.periodMs;

    /** Sense for the navigator at its period, and at once when a task ends (so it judges the end on a fresh pose). */
    const senseFor = (w: PilotWorld, now: number, force: boolean): Record<string, Json> | undefined => {
      const pose = w.track.pose;
      // Nothing to report before the first reading (a known start pose alone says nothing of the battery).
      if (!pose || typeof w.latest.battery !== 'number' || (!force && now - w.lastSenseAt < senseEvery - 1e-6)) return undefined;
      w.lastSenseAt = now;
      const r3 = (x: number): number => Math.round(x * 1000) / 1000;
      const fresh = w.range && now - w.rangeAt <= Math.max(500, 3 * ctx.periodMs);
      const owners = ownersOf(w.latest.owners);
      const sense: PilotSense = {
        x: r3(pose.x),
        y: r3(pose.y),
        theta: r3(pose.theta),
        pose_sd: r3(poseSd(pose)),
        v: r3(w.track.v),
        battery: typeof w.latest.battery === 'number' ? w.latest.battery : 0,
        charging: w.latest.charging === true,
        at_base: w.latest.at_base === true,
        sample_ok: w.latest.sample_ok === true,
        scan: fresh ? scanToWorld(w.range!, angles, p.rays.max_m, pose) : null,
        owners,
        hazard: hazardOf(w.latest.faults, owners),
      };
      return sense as unknown as Record<string, Json>;
    };

    return {
      perceive: (input, w) => {
        const c: ChildView | undefined = input.children[childId];
        if (!c) return;
        if (c.session !== w.session) {
          resetOdometry(w.track);
          w.session = c.session;
        }
        trackPose(w.track, c.senseSinceLastCycle, input.now, tracker);
        for (const s of c.senseSinceLastCycle) {
          if (Array.isArray(s.range)) {
            w.range = s.range.map((d) => (typeof d === 'number' ? d : null));
            w.rangeAt = input.now;
          }
        }
        if (c.sense) w.latest = c.sense;
      },
      behave: (w, _scores, input): BehaviorOutput => {
        const c = input.children[childId];
        const task = input.task;
        const pose = w.track.pose;
        const out = (status: BehaviorOutput['status'], command?: ChildCommand): BehaviorOutput => ({
          status,
          commands: command ? { [childId]: command } : undefined,
          sense: senseFor(w, input.now, status !== undefined && status.state !== 'executing'),
          health: { pose_sd: pose ? Math.round(poseSd(pose) * 1000) / 1000 : -1, tracking_error: w.trackingError, fixes_used: w.track.fixesUsed, fixes_rejected: w.track.fixesRejected, limit: w.limit },
        });
        const session = c?.session ?? 0;
        if (!task) {
          w.job = undefined;
          if (!w.idle) {
            w.idle = true;
            w.idleN++;
          }
          return out(undefined, c?.online ? { id: `idle${w.idleN}@${session}`, verb: 'stop', args: {} } : undefined);
        }
        w.idle = false;
        if (!c?.online) return out({ state: 'failed', reason: `reflex child ${childId} is offline, so the pilot cannot drive` });
        if (!w.job || w.job.taskId !== task.id || w.job.serial !== task.serial) {
          w.job = { taskId: task.id, serial: task.serial, attempt: w.job?.taskId === task.id ? w.job.attempt : 0, index: 0, phase: 'settle', phaseAt: input.now, sawSampling: false, outcome: undefined };
        }
        const job = w.job;
        // A drive the reflex ended (it restarted, refused or aborted it) is retried under a new id.
        const mine = c.command;
        if (mine && mine.id === driveId(task.id, job.attempt, session) && isTerminal(mine.state as never)) {
          job.attempt++;
          if (job.attempt > p.max_retries) return out({ state: 'failed', reason: `reflex ${childId} ended the drive command ${job.attempt} times; last: ${mine.state} (${mine.reason})` });
        }
        const drive = (args: Record<string, unknown>): ChildCommand => ({ id: driveId(task.id, job.attempt, session), verb: 'drive', args, refreshMs });
        const stop = drive({ v: 0, w: 0 });
        if (task.verb === 'hold') return out({ state: 'executing', progress: 0, reason: 'holding still' }, stop);
        if (task.verb === 'sample') {
          const r = sampleStep(w, job, input.now, c, task.receivedAt, task.args.timeout_s, p.settle_s, p.sample_start_s);
          if (r.state !== 'executing') return out(r, stop);
          return out(r, drive(job.phase === 'raise' ? { v: 0, w: 0, sample: true } : { v: 0, w: 0 }));
        }
        // follow
        if (!pose) return out({ state: 'executing', progress: 0, reason: 'waiting for a pose: no start in params and no position fix yet' }, stop);
        const fresh = now0(input.now, w.rangeAt, ctx.periodMs);
        const clearance = fresh ? clearanceAhead(w.range, angles, p.rays.max_m, p.half_width_m) : Infinity;
        const args = task.args;
        const r = pursue(args.path, pose, job.index, { speed: args.speed, tolerance: args.tolerance, clearance }, pursuit);
        job.index = r.index;
        w.trackingError = r.crossTrack;
        w.limit = r.limit;
        if (r.done) return out({ state: 'done', progress: 1, reason: `within ${args.tolerance} m of the last waypoint` }, stop);
        const total = pathLength(args.path, pose);
        const progress = total > 0 ? Math.max(0, Math.min(1, 1 - r.remaining / total)) : 0;
        const reason = `${r.remaining.toFixed(1)} m to go, v ${r.v} (${r.limit}), off path ${r.crossTrack.toFixed(2)} m`;
        return out({ state: 'executing', progress, reason, detail: { cross_track: r.crossTrack, remaining: r.remaining, limit: r.limit } }, drive({ v: r.v, w: r.w }));
      },
    };
  },
});
export default pilotKind;

function driveId(taskId: string, attempt: number, session: number): string {
  return `${taskId}${attempt > 0 ? `.${attempt}` : ''}@${session}`;
}

function now0(now: number, at: number, periodMs: number): boolean {
  return now - at <= Math.max(500, 3 * periodMs);
}

/** Length of the path from its first point (the navigator starts it at the rover). */
function pathLength(path: ReadonlyArray<readonly [number, number]>, pose: { x: number; y: number }): number {
  let total = path.length === 1 ? Math.hypot(path[0][0] - pose.x, path[0][1] - pose.y) : 0;
  for (let i = 1; i < path.length; i++) total += Math.hypot(path[i][0] - path[i - 1][0], path[i][1] - path[i - 1][1]);
  return total;
}

/**
 * The sample sequence: stand still (settle), raise the sampler, and watch the rover's
 * `sampling` flag rise and fall; `sample_ok` at the fall says whether it worked.
 */
function sampleStep(
  w: PilotWorld,
  job: Job,
  now: number,
  c: ChildView,
  receivedAt: number,
  timeoutS: number,
  settleS: number,
  startS: number,
): { state: 'executing' | 'done' | 'failed'; progress?: number; reason: string } {
  const faults = w.latest.faults;
  const holder = ownersOf(w.latest.owners)?.v;
  if (((Array.isArray(faults) && faults.length > 0) || holder === 'hazard' || holder === 'estop') && !job.sawSampling) {
    // The reflex layer holds the rover for a fault or hazard and will not raise the sampler: wait (timeout_s still runs).
    job.phaseAt = now;
  } else if (job.phase === 'settle') {
    if (Math.abs(w.track.v) < 0.02 && now - job.phaseAt >= settleS * 1000) {
      job.phase = 'raise';
      job.phaseAt = now;
    }
  } else {
    for (const s of c.senseSinceLastCycle) {
      if (s.sampling === true) job.sawSampling = true;
      else if (job.sawSampling && s.sampling === false && !job.outcome) {
        job.outcome = s.sample_ok === true ? { ok: true, why: 'the rover reports the sample taken' } : { ok: false, why: 'the sample was aborted (the rover moved or the sampler was released)' };
      }
    }
  }
  if (job.outcome) return { state: job.outcome.ok ? 'done' : 'failed', progress: job.outcome.ok ? 1 : 0, reason: job.outcome.why };
  if (now - receivedAt > timeoutS * 1000) return { state: 'failed', reason: `no sample after ${timeoutS} s (timeout_s)` };
  if (job.phase === 'raise' && !job.sawSampling && now - job.phaseAt > startS * 1000) {
    return { state: 'failed', reason: `the rover did not start sampling within ${startS} s of raising the sampler: no unsampled target within its sample radius, or it was moving` };
  }
  return { state: 'executing', progress: job.sawSampling ? 0.5 : 0.1, reason: job.phase === 'settle' ? 'stopping before sampling' : job.sawSampling ? 'sampling' : 'sampler raised' };
}

/** The reflex's `owners` as { output: behavior }, whether it sends names or { by, how } records. */
function ownersOf(v: Json | undefined): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, o] of Object.entries(v)) {
    if (typeof o === 'string') out[k] = o;
    else if (o && typeof o === 'object' && !Array.isArray(o) && typeof o.by === 'string') out[k] = o.by;
  }
  return out;
}

/** One line on what the reflex layer is protecting the rover from, or null. */
function hazardOf(faults: Json | undefined, owners: Record<string, string> | undefined): string | null {
  if (Array.isArray(faults) && faults.length > 0) {
    const f = faults[0];
    if (f && typeof f === 'object' && !Array.isArray(f)) return `${String(f.source ?? 'sensor')}: ${String(f.problem ?? 'fault')}`;
    return String(f);
  }
  const v = owners?.v;
  return v !== undefined && SAFETY_OWNERS.has(v) ? `${v} has the speed` : null;
}
